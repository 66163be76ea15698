"""Exports other programs open: xlsx workbooks of shift grids and rotation plans."""
