#!/usr/bin/env python3
"""Generate the product illustrations in data/images/ from data/seed.json.

Each product gets a small, original, flat SVG (480x360): a soft gradient in its
category's colours and a stylised drawing of the object built from basic shapes.
Also writes data/images/placeholder.svg for products without an image.

Standard library only and fully deterministic: running it twice produces
byte-identical files.

    python3 scripts/make_product_images.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
SEED = DATA / "seed.json"
OUT = DATA / "images"

W, H = 480, 360

# Background gradient (top-left, bottom-right) per category.
CATEGORY_BG: dict[str, tuple[str, str]] = {
    "audio": ("#EEEBFC", "#D3CBF4"),
    "home-office": ("#E8F1FA", "#C7DCF0"),
    "kitchen": ("#FDF0E4", "#F5D5BA"),
    "outdoor": ("#E8F4E6", "#C4E1C5"),
    "apparel": ("#FCEBEF", "#F1C9D4"),
    "wellness": ("#E4F5F2", "#BFE4DD"),
}
DEFAULT_BG = ("#F1F2F4", "#D9DCE1")

# Which drawing and which colours (main, accent) each product uses.
PRODUCT_ART: dict[str, tuple[str, str, str]] = {
    "aurora-wireless-headphones": ("headphones", "#3D3A5C", "#8C7AE6"),
    "pebble-bluetooth-speaker": ("speaker", "#5B6C8F", "#F2B84B"),
    "driftwood-true-wireless-earbuds": ("earbuds", "#F7F5F0", "#B07B4F"),
    "hearth-belt-drive-turntable": ("turntable", "#8A5A3B", "#E0604F"),
    "lumen-led-desk-lamp": ("lamp", "#2F4858", "#FFD66B"),
    "ridge-aluminium-laptop-stand": ("laptop_stand", "#B8C2CC", "#5AA2E0"),
    "fieldnote-dot-grid-notebook": ("notebook", "#2E6F6A", "#F2A541"),
    "cadence-mechanical-keyboard": ("keyboard", "#39414D", "#E8E3D9"),
    "ember-stoneware-mug": ("mug", "#D9734E", "#6B3E26"),
    "ashwood-pour-over-kettle": ("kettle", "#2B2B2E", "#C89B6D"),
    "harvest-chefs-knife": ("knife", "#7A4A2E", "#D7B98E"),
    "summit-22l-daypack": ("backpack", "#E07A3F", "#2F4858"),
    "trailhead-insulated-bottle": ("bottle", "#2E8B7A", "#F4F1E8"),
    "firefly-rechargeable-camp-lantern": ("lantern", "#3F5F4A", "#FFC857"),
    "harbor-merino-beanie": ("beanie", "#C2456B", "#8E2F4E"),
    "northline-organic-cotton-tee": ("tshirt", "#4C6EA8", "#35517F"),
    "commuter-canvas-tote": ("tote", "#D8C3A0", "#7A4A2E"),
    "stillwater-cork-yoga-mat": ("yoga_mat", "#C99A64", "#8E6A45"),
    "mistral-aroma-diffuser": ("diffuser", "#F4F1EA", "#F0A95B"),
    "sage-lavender-lip-balm": ("lip_balm", "#AEB8C2", "#9B7FC9"),
}
# Fallback drawing per category for products added later without an entry above.
CATEGORY_ART: dict[str, tuple[str, str, str]] = {
    "audio": ("speaker", "#5B6C8F", "#F2B84B"),
    "home-office": ("notebook", "#2E6F6A", "#F2A541"),
    "kitchen": ("mug", "#D9734E", "#6B3E26"),
    "outdoor": ("bottle", "#2E8B7A", "#F4F1E8"),
    "apparel": ("tshirt", "#4C6EA8", "#35517F"),
    "wellness": ("diffuser", "#F4F1EA", "#F0A95B"),
}

DARK = "#2B2D33"
WHITE = "#FFFFFF"


# --------------------------------------------------------------------------- drawings
# Each function takes (main colour, accent colour) and returns SVG element strings
# for an object roughly centred on (240, 190), resting on y ~ 290.


def headphones(c: str, a: str) -> list[str]:
    return [
        f'<path d="M150 215A90 96 0 0 1 330 215" fill="none" stroke="{c}" stroke-width="18" stroke-linecap="round"/>',
        f'<path d="M180 132A78 70 0 0 1 300 132" fill="none" stroke="{a}" stroke-width="8" stroke-linecap="round"/>',
        f'<rect x="126" y="192" width="50" height="92" rx="22" fill="{c}"/>',
        f'<rect x="304" y="192" width="50" height="92" rx="22" fill="{c}"/>',
        f'<rect x="166" y="200" width="22" height="76" rx="10" fill="{a}"/>',
        f'<rect x="292" y="200" width="22" height="76" rx="10" fill="{a}"/>',
        f'<rect x="136" y="206" width="8" height="40" rx="4" fill="{WHITE}" opacity=".25"/>',
    ]


def speaker(c: str, a: str) -> list[str]:
    return [
        f'<rect x="160" y="110" width="160" height="180" rx="64" fill="{c}"/>',
        f'<path d="M176 150H304M170 170H310M168 190H312M168 210H312M168 230H312M170 250H310M178 270H302" '
        f'stroke="{WHITE}" stroke-opacity=".12" stroke-width="3"/>',
        f'<circle cx="240" cy="208" r="50" fill="{DARK}" opacity=".85"/>',
        f'<circle cx="240" cy="208" r="22" fill="{c}"/>',
        f'<circle cx="240" cy="208" r="8" fill="{DARK}"/>',
        f'<circle cx="220" cy="134" r="6" fill="{a}"/>',
        f'<circle cx="240" cy="134" r="6" fill="{WHITE}" opacity=".7"/>',
        f'<circle cx="260" cy="134" r="6" fill="{WHITE}" opacity=".7"/>',
    ]


def earbuds(c: str, a: str) -> list[str]:
    def bud(x: int, y: int, angle: int) -> str:
        return (
            f'<g transform="translate({x} {y}) rotate({angle})">'
            f'<rect x="-9" y="4" width="18" height="64" rx="9" fill="{c}" stroke="#D8D4CC" stroke-width="2"/>'
            f'<circle r="26" fill="{c}" stroke="#D8D4CC" stroke-width="2"/>'
            f'<ellipse cx="-12" cy="-2" rx="6" ry="11" fill="{DARK}" opacity=".75"/>'
            f'<circle cx="4" cy="54" r="3" fill="{DARK}" opacity=".35"/></g>'
        )

    return [
        f'<rect x="176" y="188" width="128" height="100" rx="44" fill="{a}"/>',
        f'<path d="M192 250Q240 258 288 250" fill="none" stroke="{DARK}" stroke-opacity=".12" stroke-width="3"/>',
        f'<rect x="176" y="212" width="128" height="5" fill="{DARK}" opacity=".25"/>',
        f'<circle cx="240" cy="272" r="4" fill="{WHITE}" opacity=".9"/>',
        bud(146, 206, 36),
        f'<g transform="translate(480 0) scale(-1 1)">{bud(146, 206, 36)}</g>',
    ]


def turntable(c: str, a: str) -> list[str]:
    return [
        f'<rect x="104" y="124" width="272" height="164" rx="16" fill="{c}"/>',
        f'<rect x="104" y="270" width="272" height="18" rx="8" fill="{DARK}" opacity=".25"/>',
        '<circle cx="210" cy="204" r="68" fill="#C9CDD2"/>',
        f'<circle cx="210" cy="204" r="62" fill="{DARK}"/>',
        f'<circle cx="210" cy="204" r="50" fill="none" stroke="{WHITE}" stroke-opacity=".12" stroke-width="2"/>',
        f'<circle cx="210" cy="204" r="38" fill="none" stroke="{WHITE}" stroke-opacity=".12" stroke-width="2"/>',
        f'<circle cx="210" cy="204" r="20" fill="{a}"/>',
        f'<circle cx="210" cy="204" r="3" fill="{WHITE}"/>',
        '<circle cx="330" cy="156" r="15" fill="#C9CDD2"/>',
        '<path d="M330 156L336 232L270 252" fill="none" stroke="#E4E7EB" stroke-width="6" '
        'stroke-linecap="round" stroke-linejoin="round"/>',
        '<rect x="256" y="244" width="22" height="12" rx="3" fill="#E4E7EB" transform="rotate(-17 267 250)"/>',
        f'<circle cx="340" cy="262" r="7" fill="{WHITE}" opacity=".6"/>',
    ]


def lamp(c: str, a: str) -> list[str]:
    return [
        f'<path d="M292 166L336 152L392 288H250Z" fill="{a}" opacity=".35"/>',
        f'<ellipse cx="196" cy="284" rx="62" ry="12" fill="{c}"/>',
        f'<rect x="150" y="270" width="92" height="14" rx="7" fill="{c}"/>',
        f'<path d="M196 274L168 190L268 120" fill="none" stroke="{c}" stroke-width="11" '
        f'stroke-linecap="round" stroke-linejoin="round"/>',
        f'<circle cx="168" cy="190" r="11" fill="{a}"/>',
        f'<circle cx="268" cy="120" r="10" fill="{a}"/>',
        f'<path d="M262 110L304 96L344 156L288 176Z" fill="{c}"/>',
        f'<path d="M288 176L344 156" stroke="{a}" stroke-width="6" stroke-linecap="round"/>',
        f'<circle cx="214" cy="277" r="4" fill="{a}"/>',
    ]


def laptop_stand(c: str, a: str) -> list[str]:
    return [
        f'<path d="M180 226L160 288H182L204 226ZM300 226L320 288H298L276 226Z" fill="{c}"/>',
        f'<rect x="150" y="282" width="180" height="8" rx="4" fill="{c}"/>',
        f'<rect x="150" y="84" width="180" height="124" rx="10" fill="{DARK}"/>',
        f'<rect x="160" y="94" width="160" height="104" rx="4" fill="{a}"/>',
        f'<path d="M160 170Q210 140 250 160T320 150V198H160Z" fill="{WHITE}" opacity=".25"/>',
        '<path d="M136 208H344L330 226H150Z" fill="#D5DBE1"/>',
        f'<rect x="222" y="208" width="36" height="5" rx="2" fill="{c}"/>',
    ]


def notebook(c: str, a: str) -> list[str]:
    return [
        '<rect x="184" y="82" width="140" height="200" rx="8" fill="#F4F1EA"/>',
        f'<rect x="176" y="78" width="140" height="202" rx="8" fill="{c}"/>',
        f'<rect x="176" y="78" width="18" height="202" rx="6" fill="{DARK}" opacity=".2"/>',
        '<rect x="214" y="112" width="72" height="36" rx="4" fill="#F4F1EA"/>',
        f'<path d="M224 124H276M224 136H262" stroke="{c}" stroke-width="4" stroke-linecap="round" opacity=".6"/>',
        f'<rect x="292" y="78" width="8" height="202" fill="{DARK}" opacity=".55"/>',
        f'<path d="M268 280V304L276 296L284 304V280Z" fill="{a}"/>',
        f'<g transform="rotate(28 330 200)"><rect x="322" y="118" width="16" height="150" rx="6" fill="{a}"/>'
        f'<path d="M322 268H338L330 292Z" fill="#F4E1C1"/><rect x="322" y="140" width="16" height="6" fill="{DARK}" '
        f'opacity=".3"/></g>',
    ]


def keyboard(c: str, a: str) -> list[str]:
    bottom = [(110, 18), (132, 18), (154, 150), (308, 18), (330, 18), (352, 18)]
    return [
        '<defs><pattern id="PID-kk" x="108" y="146" width="22" height="22" patternUnits="userSpaceOnUse">'
        f'<rect x="2" y="2" width="18" height="18" rx="4" fill="{a}"/></pattern></defs>',
        f'<rect x="96" y="134" width="288" height="156" rx="16" fill="{c}"/>',
        '<rect x="108" y="146" width="264" height="110" fill="url(#PID-kk)"/>',
        *[f'<rect x="{x}" y="258" width="{w}" height="18" rx="4" fill="{a}"/>' for x, w in bottom],
        '<rect x="110" y="148" width="18" height="18" rx="4" fill="#E8735A"/>',
        '<rect x="352" y="192" width="18" height="18" rx="4" fill="#E8735A"/>',
    ]


def mug(c: str, a: str) -> list[str]:
    specks = [(196, 182), (228, 214), (262, 170), (210, 250), (278, 236), (246, 262), (286, 196)]
    return [
        f'<path d="M236 112q-12 -14 0 -28t0 -28M262 116q-12 -14 0 -28t0 -28" fill="none" stroke="{WHITE}" '
        f'stroke-width="6" stroke-linecap="round" opacity=".75"/>',
        f'<circle cx="308" cy="204" r="34" fill="none" stroke="{c}" stroke-width="16"/>',
        f'<path d="M172 138H308V264Q308 290 282 290H198Q172 290 172 264Z" fill="{c}"/>',
        f'<ellipse cx="240" cy="138" rx="68" ry="14" fill="{c}"/>',
        f'<ellipse cx="240" cy="139" rx="60" ry="10" fill="{a}"/>',
        f'<rect x="184" y="160" width="10" height="96" rx="5" fill="{WHITE}" opacity=".2"/>',
        *[f'<circle cx="{x}" cy="{y}" r="3" fill="{a}" opacity=".35"/>' for x, y in specks],
    ]


def kettle(c: str, a: str) -> list[str]:
    return [
        f'<path d="M198 228C160 226 140 196 116 150" fill="none" stroke="{c}" stroke-width="10" stroke-linecap="round"/>',
        f'<path d="M308 150Q352 150 352 196Q352 238 310 250" fill="none" stroke="{a}" stroke-width="14" '
        f'stroke-linecap="round"/>',
        f'<path d="M204 140H296L316 270H184Z" fill="{c}"/>',
        f'<path d="M204 140Q250 104 296 140Z" fill="{c}"/>',
        f'<circle cx="250" cy="112" r="9" fill="{a}"/>',
        f'<rect x="206" y="152" width="10" height="100" rx="5" fill="{WHITE}" opacity=".15"/>',
        f'<rect x="170" y="270" width="160" height="20" rx="8" fill="{a}"/>',
        f'<rect x="170" y="282" width="160" height="8" rx="4" fill="{DARK}" opacity=".3"/>',
        '<circle cx="300" cy="280" r="3" fill="#7CE08A"/>',
    ]


def knife(c: str, a: str) -> list[str]:
    return [
        f'<rect x="112" y="168" width="256" height="118" rx="18" fill="{a}"/>',
        f'<rect x="112" y="272" width="256" height="14" rx="7" fill="{DARK}" opacity=".12"/>',
        f'<circle cx="340" cy="196" r="10" fill="{DARK}" opacity=".18"/>',
        f'<g transform="rotate(-14 240 190)">'
        f'<path d="M290 162V212Q160 216 96 180Q190 160 290 162Z" fill="#D9DEE4"/>'
        f'<path d="M290 162Q190 160 96 180L290 172Z" fill="{WHITE}" opacity=".6"/>'
        f'<rect x="288" y="160" width="14" height="40" rx="3" fill="#9AA3AD"/>'
        f'<rect x="300" y="162" width="100" height="36" rx="12" fill="{c}"/>'
        f'<circle cx="322" cy="180" r="4" fill="#C9CDD2"/><circle cx="348" cy="180" r="4" fill="#C9CDD2"/>'
        f'<circle cx="374" cy="180" r="4" fill="#C9CDD2"/></g>',
    ]


def backpack(c: str, a: str) -> list[str]:
    return [
        f'<path d="M214 104Q214 76 240 76Q266 76 266 104" fill="none" stroke="{a}" stroke-width="10" '
        f'stroke-linecap="round"/>',
        f'<rect x="142" y="168" width="34" height="92" rx="14" fill="{c}"/>',
        f'<rect x="304" y="168" width="34" height="92" rx="14" fill="{c}"/>',
        f'<rect x="142" y="168" width="34" height="92" rx="14" fill="{DARK}" opacity=".15"/>',
        f'<rect x="304" y="168" width="34" height="92" rx="14" fill="{DARK}" opacity=".15"/>',
        f'<rect x="164" y="96" width="152" height="194" rx="46" fill="{c}"/>',
        f'<path d="M176 146Q240 120 304 146" fill="none" stroke="{DARK}" stroke-opacity=".35" stroke-width="4"/>',
        f'<rect x="188" y="190" width="104" height="84" rx="20" fill="{a}"/>',
        f'<path d="M196 210H284" stroke="{WHITE}" stroke-opacity=".35" stroke-width="3"/>',
        f'<rect x="272" y="204" width="8" height="18" rx="3" fill="{c}"/>',
        f'<rect x="218" y="132" width="6" height="16" rx="2" fill="{a}"/>',
    ]


def bottle(c: str, a: str) -> list[str]:
    return [
        f'<circle cx="240" cy="64" r="16" fill="none" stroke="{DARK}" stroke-width="7"/>',
        f'<rect x="212" y="70" width="56" height="40" rx="8" fill="{DARK}"/>',
        f'<path d="M206 110H274V126Q288 138 288 160V272Q288 292 268 292H212Q192 292 192 272V160Q192 138 206 126Z" '
        f'fill="{c}"/>',
        f'<rect x="192" y="186" width="96" height="44" fill="{a}"/>',
        f'<path d="M222 198L240 216L258 198" fill="none" stroke="{c}" stroke-width="5" stroke-linejoin="round"/>',
        f'<rect x="204" y="148" width="10" height="124" rx="5" fill="{WHITE}" opacity=".25"/>',
    ]


def lantern(c: str, a: str) -> list[str]:
    return [
        f'<circle cx="240" cy="196" r="108" fill="{a}" opacity=".25"/>',
        f'<path d="M196 108Q196 62 240 62Q284 62 284 108" fill="none" stroke="{DARK}" stroke-width="8"/>',
        f'<rect x="186" y="102" width="108" height="28" rx="10" fill="{c}"/>',
        f'<rect x="196" y="128" width="88" height="126" rx="14" fill="{a}"/>',
        f'<rect x="210" y="140" width="24" height="100" rx="10" fill="{WHITE}" opacity=".45"/>',
        f'<path d="M196 170H284M196 212H284" stroke="{c}" stroke-opacity=".35" stroke-width="6"/>',
        f'<rect x="180" y="250" width="120" height="40" rx="12" fill="{c}"/>',
        f'<circle cx="240" cy="270" r="6" fill="{a}"/>',
    ]


def beanie(c: str, a: str) -> list[str]:
    return [
        f'<path d="M152 238Q148 100 240 96Q332 100 328 238Z" fill="{c}"/>',
        f'<path d="M200 112Q184 170 190 236M240 96V236M280 112Q296 170 290 236" fill="none" stroke="{a}" '
        f'stroke-opacity=".45" stroke-width="4"/>',
        '<defs><pattern id="PID-rb" x="142" y="0" width="14" height="10" patternUnits="userSpaceOnUse">'
        f'<rect width="8" height="10" fill="{WHITE}" opacity=".12"/></pattern></defs>',
        f'<rect x="140" y="222" width="200" height="64" rx="16" fill="{a}"/>',
        '<rect x="146" y="222" width="188" height="64" fill="url(#PID-rb)"/>',
        '<rect x="292" y="236" width="22" height="16" rx="2" fill="#F4F1EA"/>',
    ]


def tshirt(c: str, a: str) -> list[str]:
    return [
        f'<path d="M206 86Q240 112 274 86L340 112L380 176L336 198L320 176V292H160V176L144 198L100 176L140 112Z" '
        f'fill="{c}" stroke-linejoin="round"/>',
        f'<path d="M206 86Q240 124 274 86" fill="none" stroke="{a}" stroke-width="9" stroke-linecap="round"/>',
        f'<path d="M320 176L310 150M160 176L170 150" stroke="{a}" stroke-opacity=".5" stroke-width="4" '
        f'stroke-linecap="round"/>',
        f'<rect x="264" y="150" width="26" height="26" rx="4" fill="{a}" opacity=".5"/>',
        f'<path d="M160 278H320" stroke="{a}" stroke-opacity=".4" stroke-width="4"/>',
    ]


def tote(c: str, a: str) -> list[str]:
    return [
        f'<path d="M198 160V132Q198 92 230 92M282 160V132Q282 92 250 92" fill="none" stroke="{a}" '
        f'stroke-width="10" stroke-linecap="round"/>',
        f'<path d="M230 92H250" stroke="{a}" stroke-width="10"/>',
        f'<path d="M162 150H318L330 290H150Z" fill="{c}"/>',
        f'<rect x="188" y="150" width="20" height="34" rx="4" fill="{a}"/>',
        f'<rect x="272" y="150" width="20" height="34" rx="4" fill="{a}"/>',
        f'<rect x="206" y="208" width="68" height="54" rx="6" fill="{DARK}" opacity=".08"/>',
        f'<path d="M206 222H274" stroke="{DARK}" stroke-opacity=".18" stroke-width="3" stroke-dasharray="6 5"/>',
        f'<path d="M162 150H318" stroke="{DARK}" stroke-opacity=".15" stroke-width="6"/>',
    ]


def yoga_mat(c: str, a: str) -> list[str]:
    return [
        f'<path d="M110 282L300 282L300 292L104 292Z" fill="{c}"/>',
        f'<rect x="130" y="170" width="210" height="116" rx="4" fill="{c}"/>',
        f'<rect x="130" y="178" width="210" height="16" fill="{WHITE}" opacity=".18"/>',
        f'<ellipse cx="340" cy="228" rx="32" ry="58" fill="{a}"/>',
        f'<ellipse cx="342" cy="228" rx="22" ry="42" fill="none" stroke="{c}" stroke-width="5"/>',
        f'<ellipse cx="344" cy="228" rx="11" ry="24" fill="none" stroke="{c}" stroke-width="5"/>',
        '<rect x="176" y="166" width="16" height="124" rx="3" fill="#F4F1EA"/>',
        '<rect x="270" y="166" width="16" height="124" rx="3" fill="#F4F1EA"/>',
        '<path d="M184 166Q230 110 278 166" fill="none" stroke="#F4F1EA" stroke-width="8"/>',
    ]


def diffuser(c: str, a: str) -> list[str]:
    return [
        f'<g fill="{WHITE}" opacity=".6"><circle cx="240" cy="96" r="14"/><circle cx="228" cy="74" r="16"/>'
        '<circle cx="250" cy="56" r="18"/><circle cx="232" cy="36" r="14"/></g>',
        f'<ellipse cx="240" cy="254" rx="100" ry="44" fill="{a}" opacity=".3"/>',
        f'<path d="M244 110Q314 170 314 236Q314 290 244 290H236Q166 290 166 236Q166 170 236 110Z" fill="{c}"/>',
        f'<ellipse cx="240" cy="112" rx="14" ry="6" fill="{DARK}" opacity=".3"/>',
        f'<path d="M168 250Q240 266 312 250" fill="none" stroke="{a}" stroke-width="10" stroke-linecap="round"/>',
        f'<path d="M196 170Q184 196 186 226" fill="none" stroke="{DARK}" stroke-opacity=".08" '
        f'stroke-width="10" stroke-linecap="round"/>',
        f'<circle cx="240" cy="276" r="4" fill="{DARK}" opacity=".4"/>',
    ]


def lip_balm(c: str, a: str) -> list[str]:
    buds = [(310, 118), (318, 130), (306, 140), (320, 150), (308, 162)]
    return [
        '<path d="M300 250Q304 180 318 110" fill="none" stroke="#6C8F5A" stroke-width="5" stroke-linecap="round"/>',
        *[f'<ellipse cx="{x}" cy="{y}" rx="7" ry="10" fill="{a}"/>' for x, y in buds],
        f'<g transform="rotate(-18 236 176)"><ellipse cx="236" cy="176" rx="74" ry="22" fill="{c}"/>'
        f'<rect x="162" y="160" width="148" height="16" fill="{c}"/>'
        f'<ellipse cx="236" cy="160" rx="74" ry="22" fill="#D3DAE0"/>'
        f'<ellipse cx="236" cy="160" rx="44" ry="12" fill="{a}" opacity=".5"/></g>',
        f'<ellipse cx="220" cy="266" rx="90" ry="26" fill="{c}"/>',
        f'<rect x="130" y="236" width="180" height="30" fill="{c}"/>',
        '<ellipse cx="220" cy="236" rx="90" ry="26" fill="#D3DAE0"/>',
        '<ellipse cx="220" cy="238" rx="78" ry="20" fill="#EFE3C8"/>',
        f'<rect x="140" y="244" width="10" height="16" rx="4" fill="{WHITE}" opacity=".35"/>',
    ]


def box(c: str, a: str) -> list[str]:
    """Neutral box icon used by the placeholder."""
    return [
        f'<path d="M240 90L330 132V240L240 284L150 240V132Z" fill="{c}"/>',
        f'<path d="M240 90L330 132L240 176L150 132Z" fill="{a}"/>',
        f'<path d="M240 176V284L150 240V132Z" fill="{DARK}" opacity=".08"/>',
        f'<path d="M195 111L285 154V190L300 183V147L210 104Z" fill="{WHITE}" opacity=".55"/>',
    ]


DRAWINGS = {
    f.__name__: f
    for f in (
        headphones,
        speaker,
        earbuds,
        turntable,
        lamp,
        laptop_stand,
        notebook,
        keyboard,
        mug,
        kettle,
        knife,
        backpack,
        bottle,
        lantern,
        beanie,
        tshirt,
        tote,
        yoga_mat,
        diffuser,
        lip_balm,
        box,
    )
}


# --------------------------------------------------------------------------- document


def render(gid: str, bg: tuple[str, str], kind: str, main: str, accent: str) -> str:
    top, bottom = bg
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}">',
        f'<defs><linearGradient id="{gid}" x1="0" y1="0" x2="1" y2="1">'
        f'<stop offset="0" stop-color="{top}"/><stop offset="1" stop-color="{bottom}"/></linearGradient></defs>',
        f'<rect width="{W}" height="{H}" fill="url(#{gid})"/>',
        f'<circle cx="240" cy="182" r="132" fill="{WHITE}" opacity=".35"/>',
        '<ellipse cx="240" cy="296" rx="138" ry="14" fill="#000" opacity=".07"/>',
        *DRAWINGS[kind](main, accent),
        "</svg>",
    ]
    # Pattern ids inside drawings are prefixed so every id is unique even when inlined together.
    return "\n".join(parts).replace("PID-", f"{gid}-") + "\n"


def write(path: Path, text: str) -> bool:
    data = text.encode("utf-8")
    if path.exists() and path.read_bytes() == data:
        return False
    path.write_bytes(data)
    return True


def main() -> int:
    seed = json.loads(SEED.read_text(encoding="utf-8"))
    OUT.mkdir(parents=True, exist_ok=True)
    changed = 0
    for product in seed["products"]:
        slug, category = product["slug"], product["category"]
        kind, main_c, accent = PRODUCT_ART.get(slug) or CATEGORY_ART.get(
            category, ("box", "#C9CED6", "#E3E6EA")
        )
        svg = render(f"bg-{slug}", CATEGORY_BG.get(category, DEFAULT_BG), kind, main_c, accent)
        image = product.get("image") or f"images/{slug}.svg"
        changed += write(DATA / image, svg)
    changed += write(
        OUT / "placeholder.svg", render("bg-placeholder", DEFAULT_BG, "box", "#C9CED6", "#E3E6EA")
    )
    print(f"{len(seed['products']) + 1} images in {OUT.relative_to(ROOT)} ({changed} changed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
