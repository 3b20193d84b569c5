"""``python -m kg``: the kg command."""

from kg.cli import main

if __name__ == "__main__":
    main(prog_name="kg")
