"""Building the book: the chapters' parameters, the doit task graph that executes them, the site, the CLI."""
