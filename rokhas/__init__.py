"""Rokhas: online permits for Moroccan communes (circular D.5808)."""
