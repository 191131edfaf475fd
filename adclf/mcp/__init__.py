"""adclf as an MCP server, for agents: tools, resources and prompts over adclf's own REST API.

Every tool is an HTTP call to the REST API with the caller's token, so the services stay the one
implementation of behaviour and the same auth applies. Two transports: stdio (`adclf mcp`, the
CLI's --server/--token) and streamable HTTP at `/mcp` in the Serve app (the request's bearer
token, the replica's own address). See README "Agents (MCP)"."""
