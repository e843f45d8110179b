// Integration tests talk to loopback servers only; tracing stays off unless a test points it
// at the loopback LangSmith sink itself.
process.env.LANGSMITH_TRACING = "false";
process.env.LANGCHAIN_TRACING_V2 = "false";
