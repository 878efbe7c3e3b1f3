"""Vouchers for care services: co-payment, eligibility, ISEE, protocol, ranking, mail.

Pure domain logic (no views): the portal's views and API call these functions
inside the request's transaction; content objects live in ``content_types``.
"""
