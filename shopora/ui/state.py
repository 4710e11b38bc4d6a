"""Every key the UI keeps in st.session_state, in one place. Values are ids and small values,
never ORM objects."""

from __future__ import annotations


class StateKeys:
    # Set by streamlit-authenticator's conventions (and seeded by AppTests).
    AUTH_STATUS = "authentication_status"
    USERNAME = "username"
    NAME = "name"
    EMAIL = "email"
    ROLES = "roles"
    LOGOUT = "logout"
    # Ours.
    USER_ID = "shopora_user_id"
    ANON_CART = "shopora_anonymous_cart"  # {product_id: quantity} before sign-in
    CART_MERGED_FOR = "shopora_cart_merged_for"  # user id whose cart absorbed the anonymous one
    AFTER_SIGN_IN = "shopora_after_sign_in"  # url path to continue to after signing in
    PAGE = "shopora_page"  # url path of the page this run of Home.py opened
    CHECKOUT_KEY = "shopora_checkout_idempotency_key"
    CHECKOUT_ORDER_ID = "shopora_checkout_order_id"
    RETURN_SESSION_ID = "shopora_return_session_id"  # kept while the customer signs in
    CART_METHOD = "shopora_cart_shipping_method"  # chosen in the cart, used by checkout
    CART_CODE = "shopora_cart_discount_code"  # typed in the cart, used by checkout
    CART_NOTICE = "shopora_cart_notice"  # (product id, message): a refused cart change
    CHECKOUT_PAID_ORDER_ID = "shopora_checkout_paid_order_id"  # the order this checkout just paid
    PAYMENT_REFUSED = "shopora_payment_refused"  # {order id: why its Stripe page did not open}
    SIGN_IN_NOTICE = "shopora_sign_in_notice"
    GO_TO = "shopora_go_to"  # page (url path, or "home" = the role's front page) to open next
    FLASH = "shopora_flash"  # one message to show after a rerun
    OPS_DIALOG = "shopora_ops_dialog"  # the operator confirmation dialog that is open
    OPS_NOTICES = "shopora_ops_notices"  # [(kind, message)] to show once after an action
