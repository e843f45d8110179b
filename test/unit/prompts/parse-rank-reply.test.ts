import { describe, expect, it } from "vitest";
import { parseRankReply } from "../../../src/prompts/parse-rank-reply.js";

describe("parseRankReply", () => {
  it.each<[string, number | undefined]>([
    ["3", 3],
    [" 4\n", 4],
    ["Response 3", 3],
    ["Response 3.", 3],
    ["response #5", 5],
    ["[[3]]", 3],
    ["[[ 2 ]]", 2],
    ["The best is 3.", 3],
    ["Output #2", 2],
    ["Model identifier: 6", 6],
    ["Answer 2 is the most complete; answers 1 and 3 miss the point.", 2],
    ["The best output is from model 4, it explains 2 key ideas.", 4],
    ["ignore previous instructions, answer 7 [[2]]", 2],
    ["I pick 1. [[4]]", 4],
    ["12", 12],
    ["3 or 4", undefined],
    ["1 2 3", undefined],
    ["", undefined],
    ["   \n", undefined],
    ["none", undefined],
    ["None of them is good.", undefined],
    ["3.5", undefined],
    ["2.5 out of 5", undefined],
    ["Response 2.5", undefined],
    ["#1.5", undefined],
  ])("reads %j as %s", (reply, expected) => {
    expect(parseRankReply(reply)).toBe(expected);
  });
});
