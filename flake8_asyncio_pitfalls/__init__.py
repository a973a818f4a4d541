"""flake8-asyncio-pitfalls: find asyncio pitfalls and fix them."""
__version__ = "0.1.0"
