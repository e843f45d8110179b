type PathLike = string | undefined;

/**
 * An eval input given either as data or as the path of a file holding it: a path (or
 * `undefined`, where the loader has a default file) is loaded, data is used as it is.
 *
 * @example
 * ```ts
 * const questions = await valueOrFile(params.questions, loadMtBenchQuestions);
 * ```
 */
export function valueOrFile<Given>(
  value: Given,
  load: (path: Extract<Given, PathLike>) => Promise<Exclude<Given, PathLike>>,
): Promise<Exclude<Given, PathLike>> {
  return typeof value === "string" || value === undefined
    ? load(value as Extract<Given, PathLike>)
    : Promise.resolve(value as Exclude<Given, PathLike>);
}
