"""The attack tables, one module per class of attack (see ../README.md)."""
