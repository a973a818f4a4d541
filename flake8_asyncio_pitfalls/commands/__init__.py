"""The subcommands of ``asyncio-pitfalls`` (one module each)."""
