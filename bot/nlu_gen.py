"""Placeholder: generates NLU resources from the knowledge base (replaced by the NLU work)."""

from pathlib import Path

from bot import settings


def main() -> None:
    out = settings.ROOT / "build" / "nlu" / "data"
    out.mkdir(parents=True, exist_ok=True)
    (out / "generated.yml").write_text('version: "3.1"\nnlu: []\n', encoding="utf-8")
    print(f"NLU resources written to {Path(out).relative_to(settings.ROOT)}")


if __name__ == "__main__":
    main()
