"""Images that travel with a set, served to those who may see the set."""
