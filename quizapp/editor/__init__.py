"""The browser editor: teachers write, preview and publish question sets as draft sets."""
