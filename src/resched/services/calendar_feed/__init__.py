"""Calendar export (issue 16): ICS feeds of published shifts, their secret subscription
tokens, and the CSV of a version's assignments."""
