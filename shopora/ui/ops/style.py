"""Readable greys on the operator pages: Streamlit draws captions in the text colour at 60 %
opacity (about 4.3:1 on white, under WCAG AA's 4.5:1) and has no theme option for it."""

from __future__ import annotations

import streamlit as st

CAPTION_COLOUR = "#585d6b"  # 6.6:1 on white, 6.1:1 on the sidebar's #f5f6fb


def readable_captions() -> None:
    st.html(
        "<style>"
        f'[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p '
        f"{{ color: {CAPTION_COLOUR}; opacity: 1; }}"
        "</style>"
    )
