"""Demo and test data: the organisations, people and files a newcomer sees after `make run`."""
