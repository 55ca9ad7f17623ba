"""Text rules without a model, shared by the stages: sentences (`segment`), numbers, dates, names,
speakers, page furniture (`boilerplate`) and Markdown escaping. Their words for each language live
in `polybrief/text/languages/` (docs/adding-a-language.md)."""
