"""The Litestar HTTP and WebSocket application."""
