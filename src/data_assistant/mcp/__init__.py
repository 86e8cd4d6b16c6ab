"""The MCP surface: the pipeline's tools over streamable HTTP (`/mcp`, http_endpoint) and
stdio (`data-assistant mcp`, stdio); server builds the SDK server, tools lists the tools and
calls runs them."""
