"""Spreadsheets of a call for its staff: the applications, the evaluations and the ranking."""
