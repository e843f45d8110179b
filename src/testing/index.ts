/**
 * Test doubles for Mixture-of-Agents graphs: scripted fake chat models, call recorders and a
 * loopback OpenAI-compatible simulator, so you can test your own MoA graphs offline.
 *
 * @module
 */
export { FakeChatModel, type FakeChatModelParams, type FakeReplyContext } from "./fake-chat-model.js";
export { CallRecorder, ConcurrencyProbe, type RecordedCall } from "./call-recorder.js";
