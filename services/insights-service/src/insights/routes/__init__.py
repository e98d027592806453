"""Thin HTTP handlers: parse at the edge, call the domain, answer."""
