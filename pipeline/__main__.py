"""`python -m pipeline`: the `ledenradar` command, without its console script.

Processes that start other ledenradar processes (the demo, the tests, the benches) use this
form: the console script in the shared, cached virtualenv names the interpreter path of
whichever checkout ran `make setup` last, and that checkout may since have been deleted.
"""

from pipeline.cli import app

if __name__ == "__main__":
    app(prog_name="ledenradar")
