def act(page, action, **fields):
    """Open an action on a case page, fill it in and submit it."""
    form = page.locator(f"form[action$='/{action}/']")
    if not form.is_visible():
        form.locator("xpath=ancestor::details/summary").click()
    for name, value in fields.items():
        field = form.locator(f"[name='{action}-{name}']")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
