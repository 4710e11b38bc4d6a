"""Use cases, one module per domain. No Streamlit, no FastAPI, no HTTP, no `stripe`.

Convention: public functions take keyword-only arguments, `session` first, and commit their
own transaction (one use case, one transaction). Building blocks that join a caller's
transaction take `session` positionally and never commit.
"""
