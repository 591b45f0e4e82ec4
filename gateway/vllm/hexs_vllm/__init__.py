"""Serves an agent's weights with vLLM once they are fetched from IPFS and checked against their CID."""
