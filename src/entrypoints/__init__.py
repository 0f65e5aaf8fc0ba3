"""Entry points: settings, the dependency container, the HTTP/WebSocket app, the worker and the CLI."""
