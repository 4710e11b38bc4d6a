"""Which pages each role sees, in the order they see them. Pages check access themselves too."""

from __future__ import annotations

from dataclasses import dataclass

from shopora.models import Role

ANONYMOUS = "anonymous"


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    url_path: str
    icon: str


SHOP = PageSpec("pages/shop.py", "Shop", "shop", ":material/storefront:")
CART = PageSpec("pages/cart.py", "Cart", "cart", ":material/shopping_cart:")
CHECKOUT = PageSpec("pages/checkout.py", "Checkout", "checkout", ":material/payments:")
RETURN = PageSpec("pages/payment_return.py", "Payment", "payment_return", ":material/receipt:")
MY_ORDERS = PageSpec("pages/my_orders.py", "My orders", "my_orders", ":material/package_2:")
ACCOUNT = PageSpec("pages/account.py", "Account", "account", ":material/person:")
SIGN_IN = PageSpec("pages/account.py", "Sign in / Register", "account", ":material/login:")
DASHBOARD = PageSpec("pages/dashboard.py", "Dashboard", "dashboard", ":material/dashboard:")
ORDERS = PageSpec("pages/admin_orders.py", "Orders", "admin_orders", ":material/list_alt:")
PRODUCTS = PageSpec(
    "pages/admin_products.py", "Products & stock", "admin_products", ":material/inventory_2:"
)
DISCOUNTS = PageSpec(
    "pages/admin_discounts.py", "Discount codes", "admin_discounts", ":material/sell:"
)
ANALYTICS = PageSpec("pages/analytics.py", "Analytics", "analytics", ":material/monitoring:")

# The first page of each list is that role's front page.
NAVIGATION: dict[str, dict[str, list[PageSpec]]] = {
    ANONYMOUS: {"Shop": [SHOP, CART, SIGN_IN]},
    Role.CUSTOMER: {"Shop": [SHOP, CART, CHECKOUT, MY_ORDERS, ACCOUNT]},
    Role.OPERATOR: {
        "Operations": [DASHBOARD, ORDERS, PRODUCTS, DISCOUNTS, ANALYTICS],
        "Storefront": [SHOP, ACCOUNT],
    },
    Role.ANALYST: {"Insights": [ANALYTICS, DASHBOARD], "Storefront": [SHOP, ACCOUNT]},
}
# Reachable by URL (the Stripe return) but not listed in the menu.
HIDDEN: dict[str, list[PageSpec]] = {
    ANONYMOUS: [RETURN],
    Role.CUSTOMER: [RETURN],
    Role.OPERATOR: [],
    Role.ANALYST: [],
}


def is_shopper(role: str | None) -> bool:
    """Visitors and customers: they get the shop bar, not Streamlit's top navigation."""
    return role in (None, ANONYMOUS, Role.CUSTOMER)


def sections_for(role: str | None) -> dict[str, list[PageSpec]]:
    return NAVIGATION[role or ANONYMOUS]


def hidden_for(role: str | None) -> list[PageSpec]:
    return HIDDEN[role or ANONYMOUS]


def elsewhere(role: str | None) -> list[PageSpec]:
    """Every other role's pages, which Home.py registers (hidden) for this role too: a link to
    one then gets the page's own answer ("Please sign in", "This page is for operators")
    instead of Streamlit's "Page not found"."""
    own = {spec.url_path for spec in [*_listed(role), *hidden_for(role)]}
    seen: dict[str, PageSpec] = {}
    for other in [ANONYMOUS, *Role]:
        for spec in [*_listed(other), *hidden_for(other)]:
            if spec.url_path not in own:
                seen.setdefault(spec.url_path, spec)
    return list(seen.values())


def _listed(role: str | None) -> list[PageSpec]:
    return [spec for section in sections_for(role).values() for spec in section]
