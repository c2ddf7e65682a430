"""Spiders: fetch pages from configured sources and yield plain items; they never touch the database."""
