"""The web page for people: `/` and its static files, calling the public HTTP API."""

from data_assistant.web.routes import router

__all__ = ["router"]
