"""One router per area of the site (listed in :data:`gongkai.web.app.AREAS`)."""
