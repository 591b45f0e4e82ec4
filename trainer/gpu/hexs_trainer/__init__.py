"""The HEXS GPU trainer: fine-tunes a Hugging Face causal LM as trainer/README.md's job contract says."""
