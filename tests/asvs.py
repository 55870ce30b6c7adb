"""OWASP ASVS 5.0.0 coverage: the catalogue of requirements and the coverage report.

Tests name the requirement they verify with ``@pytest.mark.asvs("V8.2.2")``. The catalogue
below lists every Level 1 and Level 2 requirement of ASVS 5.0.0 (the ids, levels and chapters
of ``OWASP_Application_Security_Verification_Standard_5.0.0_en.csv``; the texts are shortened),
plus the Level 3 requirements that the security design targets (★ in research-security.md §4.1)
or that we test anyway.

Each entry has a declared status:

- ``tested``: at least one test carries its marker (``tests/test_asvs_catalogue.py`` fails
  when a claim has no test, or when a test exists for an entry not claimed as tested);
- ``not automated``, with the kind of reason: ``process`` (organisational), ``deployment``
  (infrastructure, the operator's configuration), ``documentation`` (met by a document named in
  the reason), ``review`` (verified by reading the code, no automated check) or ``open`` (not,
  or not fully, met or tested yet);
- ``not applicable``, with the reason (e.g. no OAuth, no WebSockets).

Report::

    python -m tests.asvs                          # coverage per chapter, with the tests
    python -m tests.asvs --markdown docs/asvs.md  # also write the Markdown list
    python -m tests.asvs --json                   # requirement id -> test ids (for tools)

The report collects the markers with ``pytest --collect-only`` in-process. After a full test
run the pytest terminal summary prints a short version (``terminal_summary``).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ROOT / "tests"
MARKER = "asvs"
ID_RE = re.compile(r"^V\d{1,2}\.\d{1,2}\.\d{1,2}$")

TESTED = "tested"
NOT_AUTOMATED = "not automated"
NOT_APPLICABLE = "not applicable"
STATUSES = (TESTED, NOT_AUTOMATED, NOT_APPLICABLE)
MISSING = "no test found"  # derived only: claimed as tested, but no collected test has the marker
REASON_KINDS = ("process", "deployment", "documentation", "review", "open")

CHAPTERS = {
    "V1": "Encoding and Sanitization",
    "V2": "Validation and Business Logic",
    "V3": "Web Frontend Security",
    "V4": "API and Web Service",
    "V5": "File Handling",
    "V6": "Authentication",
    "V7": "Session Management",
    "V8": "Authorization",
    "V9": "Self-contained Tokens",
    "V10": "OAuth and OIDC",
    "V11": "Cryptography",
    "V12": "Secure Communication",
    "V13": "Configuration",
    "V14": "Data Protection",
    "V15": "Secure Coding and Architecture",
    "V16": "Security Logging and Error Handling",
    "V17": "WebRTC",
}

_NO_OAUTH = "no OAuth or OpenID Connect: Levensloop is neither client, resource server nor provider"
_NO_WEBRTC = "no WebRTC, media or TURN server"
_NO_WEBSOCKET = "no WebSockets; pages are plain HTTP requests (htmx uses ordinary requests)"
_NO_GRAPHQL = "no GraphQL; the only API is a small JSON API for the monthly counts"
_NO_IDP = "no external identity provider; every account logs in with password and TOTP"
_NO_OOB = "no out-of-band authentication (no SMS, phone, e-mail or push codes)"
_NO_TOKENS = (
    "no self-contained tokens for authorization: the signed session cookie carries only a "
    "reference to a server-side session (checked in the database), API keys are opaque and "
    "stored as hashes"
)

# id | level | short text | status ("T" tested, "T: note", "N <kind>: reason", "X: reason");
# an indented line continues the entry above.
# A "*" after the level marks the Level 3 requirements that research-security.md §4.1 targets.
_TABLE = f"""
V1.1.1 | 2 | Input is decoded to canonical form once, before validation | N review: Werkzeug decodes
    URL and form encoding once, before WTForms validates; no decoding of our own
V1.1.2 | 2 | Output encoding as the final step, or by the interpreter | N review: Jinja2 autoescapes
    at render time and SQLAlchemy binds parameters
V1.2.1 | 1 | Output encoding fits the context (HTML, attributes, headers) | T
V1.2.2 | 1 | Untrusted data in URLs is encoded; only safe URL protocols | T
V1.2.3 | 1 | Encoding when building JavaScript or JSON | N review: JSON only through Flask's
    jsonify; no JavaScript is built from data (the CSP forbids inline script)
V1.2.4 | 1 | Parameterised queries or an ORM against SQL injection | T
V1.2.5 | 1 | Protection against OS command injection | T
V1.2.6 | 2 | Protection against LDAP injection | X: no LDAP
V1.2.7 | 2 | Protection against XPath injection | X: no XPath
V1.2.8 | 2 | LaTeX processors configured securely | X: no LaTeX
V1.2.9 | 2 | Special characters in regular expressions are escaped | N review: no regular expression
    is built from user input; LIKE patterns escape % and _ (organisations.services._escape_like)
V1.2.10 | 3 | CSV and formula injection prevented in exports | T
V1.3.1 | 1 | HTML from WYSIWYG editors is sanitised | X: no rich-text or HTML input; every text is
    escaped on output
V1.3.2 | 1 | No eval() or other dynamic code execution | T
V1.3.3 | 2 | Data for dangerous contexts is sanitised | N review: user text only reaches HTML
    (autoescaped), SQL (bound parameters) and CSV/XLSX exports (formulas neutralised)
V1.3.4 | 2 | User-supplied SVG is sanitised | T
V1.3.5 | 2 | Scriptable or template content (Markdown, CSS, XSL) is sanitised | X: no user-supplied
    Markdown, CSS, XSL or BBCode
V1.3.6 | 2 | Protection against server-side request forgery | X: the application never requests a
    URL that a user supplies
V1.3.7 | 2 | No templates built from untrusted input | T
V1.3.8 | 2 | JNDI queries are sanitised | X: not Java, no JNDI
V1.3.9 | 2 | Content sent to memcache is sanitised | X: no memcache
V1.3.10 | 2 | Format strings are sanitised | N review: messages are fixed source strings (Babel);
    user input is only passed as a value, never as a format
V1.3.11 | 2 | Input to mail systems is sanitised (SMTP/IMAP injection) | N review: e-mails have a
    fixed subject and body without user text; the address comes from the user administration
V1.4.1 | 2 | Memory-safe string handling | X: Python, memory-safe; no native code of our own
V1.4.2 | 2 | Integer overflows prevented | X: Python integers do not overflow; no native code of our
    own
V1.4.3 | 2 | Memory released, no dangling pointers | X: garbage-collected Python; no native code of
    our own
V1.5.1 | 1 | XML parsers without external entities (XXE) | N review: uploads are not parsed as XML
    (only zip entry names and the manifest bytes are compared); exports are written, not read
V1.5.2 | 2 | Safe deserialisation of untrusted data | T
V2.1.1 | 1 | Documented input validation rules | N open: the rules are declared in the forms and
    services, not in a separate document
V2.1.2 | 2 | Documented validation of combined data items | N open: the rules (date orders, title
    maxima, werkdagen) are declared in the services, not in a separate document
V2.1.3 | 2 | Documented business logic limits, per user and global | N documentation: README
    (lockout, rate limits, session lifetimes, break-glass of 60 minutes, one running handover per
    responsibility)
V2.2.1 | 1 | Positive input validation against allowed values and structure | T
V2.2.2 | 1 | Input validation at a trusted service layer | T
V2.2.3 | 2 | Combinations of related data items are reasonable | T
V2.3.1 | 1 | Business flows in the expected order, no skipped steps | T
V2.3.2 | 2 | Business logic limits are implemented as documented | T
V2.3.3 | 2 | Transactions: an operation succeeds entirely or is rolled back | T
V2.3.4 | 2 | Locking against double booking of limited resources | T
V2.3.5 | 3* | Multi-user approval for high-value flows | N open: inclusion decisions are taken at
    the inclusion table with the attendees recorded, but no action requires the approval of a second
    user
V2.4.1 | 2 | Anti-automation against excessive calls to functions | N open: the login steps, the API
    and the bulk handover are rate-limited (login tested under V6.3.1); other functions are not
V3.2.1 | 1 | Responses are not rendered in an unintended context | T
V3.2.2 | 1 | Text is rendered with safe functions, not as HTML | T
V3.3.1 | 1 | Cookies are Secure and use the __Host- or __Secure- prefix | T
V3.3.2 | 2 | Cookie SameSite attribute fits the purpose | T
V3.3.3 | 2 | Cookies use the __Host- prefix | T
V3.3.4 | 2 | Session cookies are HttpOnly | T
V3.4.1 | 1 | HSTS on all responses, at least one year, including subdomains | T
V3.4.2 | 1 | CORS Access-Control-Allow-Origin is fixed or allowlisted | T
V3.4.3 | 2 | Content-Security-Policy with object-src 'none' and base-uri 'none' | T
V3.4.4 | 2 | X-Content-Type-Options: nosniff on all responses | T
V3.4.5 | 2 | A referrer policy prevents leaking URLs | T
V3.4.6 | 2 | CSP frame-ancestors on every response | T
V3.5.1 | 1 | Cross-site request forgery is prevented (anti-forgery tokens) | T
V3.5.2 | 1 | Functionality protected by CORS preflight cannot be called without one | X: CSRF
    protection does not rely on CORS preflight; every state-changing request needs a token (V3.5.1)
V3.5.3 | 1 | Sensitive functionality uses POST, not GET or other safe methods | T
V3.5.4 | 2 | Separate applications on separate hostnames | N deployment: Levensloop gets a hostname
    of its own (the __Host- cookie cannot be shared)
V3.5.5 | 2 | postMessage messages from untrusted origins are discarded | X: no postMessage
V3.7.1 | 2 | Only supported, secure client-side technologies | N review: HTML, CSS, one small script
    file and htmx; no plugins or applets
V3.7.2 | 2 | Automatic redirects only to allowlisted other hosts | T
V4.1.1 | 1 | Every response with a body has a matching Content-Type with charset | T
V4.1.2 | 2 | Only user-facing endpoints redirect HTTP to HTTPS | N open: in production the JSON API
    (/api/v1/...) is redirected to HTTPS too, like every page (Flask-Talisman force_https)
V4.1.3 | 2 | Headers set by intermediaries cannot be overridden by users | N deployment: the
    application reads no X-Forwarded-* or X-Real-IP header; the reverse proxy must overwrite them
V4.2.1 | 2 | HTTP message boundaries are determined consistently (no smuggling) | N deployment:
    gunicorn behind the reverse proxy
V4.3.1 | 2 | GraphQL query limits against denial of service | X: {_NO_GRAPHQL}
V4.3.2 | 2 | GraphQL introspection disabled in production | X: {_NO_GRAPHQL}
V4.4.1 | 1 | WebSockets over TLS | X: {_NO_WEBSOCKET}
V4.4.2 | 2 | WebSocket handshake checks the Origin | X: {_NO_WEBSOCKET}
V4.4.3 | 2 | Dedicated WebSocket session tokens comply with session management | X: {_NO_WEBSOCKET}
V4.4.4 | 2 | WebSocket tokens obtained through the authenticated HTTPS session | X: {_NO_WEBSOCKET}
V5.1.1 | 2 | Documented permitted file types, extensions and sizes | N documentation: the upload
    page and levensloop/documents/detect.py list the types; the size limit is a setting
V5.2.1 | 1 | Only files of a size the application can process | T
V5.2.2 | 1 | File extension matches the content (magic bytes) | T
V5.2.3 | 2 | Compressed files checked against size and file-count limits before unpacking | N
    review: uploads are never unpacked; of an Office file only the entry names and the size-limited
    manifest are read
V5.3.1 | 1 | Uploaded files in public folders are not executed | X: uploads are stored encrypted in
    the database, never in a folder that is served
V5.3.2 | 1 | File paths from internal data, not user-submitted file names | X: no file path is built
    from an upload; the user's file name is only stored (encrypted) and sent back in
    Content-Disposition (V5.4.2)
V5.4.1 | 2 | User file names are ignored or validated; Content-Disposition names the file | T
V5.4.2 | 2 | Served file names are encoded (RFC 6266) | T
V5.4.3 | 2 | Files from untrusted sources are scanned by antivirus | N open: no antivirus scan;
    executables, scripts and markup are refused by content (V5.2.2)
V6.1.1 | 1 | Documented anti-automation against credential stuffing and brute force | N
    documentation: README 'Inloggen en accounts' and 'Configuratie' (lockout after 5 failures for 15
    minutes, per-IP limit, Redis)
V6.1.2 | 2 | Documented list of context-specific words for passwords | N documentation:
    levensloop/data/common_passwords_nl.txt
V6.1.3 | 2 | Multiple authentication pathways are documented | N documentation: README: people log
    in with password and TOTP; machines read the monthly counts with API keys
V6.2.1 | 1 | Passwords of at least 8 characters (Levensloop: 12) | T
V6.2.2 | 1 | Users can change their password | T
V6.2.3 | 1 | Password change requires the current and the new password | T
V6.2.4 | 1 | New passwords are checked against at least the top 3000 passwords | T
V6.2.5 | 1 | No composition rules | T
V6.2.6 | 1 | Password fields use type=password | T
V6.2.7 | 1 | Paste and password managers are permitted | T
V6.2.8 | 1 | Passwords are verified exactly as received | T
V6.2.9 | 2 | Passwords of at least 64 characters are permitted | T
V6.2.10 | 2 | No periodic password rotation | T
V6.2.11 | 2 | Context-specific words are refused in passwords | T
V6.2.12 | 2 | New passwords are checked against breached passwords | N open: checked against the
    30,000 frequent passwords of zxcvbn (taken from leaked password sets) and a Dutch list, not
    against a full breached-password corpus
V6.3.1 | 1 | Controls against credential stuffing and brute force | T
V6.3.2 | 1 | No default user accounts | T
V6.3.3 | 2 | Multi-factor authentication is required | T
V6.3.4 | 2 | No undocumented authentication pathways | T
V6.3.8 | 3* | Valid users cannot be deduced (messages, status codes, response times) | T
V6.4.1 | 1 | Initial passwords are random, follow the policy and cannot become long-term | T
V6.4.2 | 1 | No password hints or secret questions | N review: Levensloop has no password hints,
    secret questions or self-service reset
V6.4.3 | 2 | Password reset does not bypass multi-factor authentication | T
V6.4.4 | 2 | A lost factor needs identity proofing as at enrolment | N process: the functioneel
    beheerder resets 2FA after checking the colleague's identity (organisational procedure)
V6.5.1 | 2 | Lookup secrets and TOTP codes are usable once | T
V6.5.2 | 2 | Stored lookup secrets below 112 bits are hashed with salt | T
V6.5.3 | 2 | Lookup secrets and TOTP seeds come from a CSPRNG | N review: Python's secrets module
    (pyotp.random_base32, secrets.choice)
V6.5.4 | 2 | Lookup secrets have at least 20 bits of entropy | T
V6.5.5 | 2 | TOTP codes have a maximum lifetime of 30 seconds | T: a code of the previous 30-second
    step is accepted for clock drift (RFC 6238 section 5.2); future and older steps are refused
V6.6.1 | 2 | SMS or phone OTP only with validated numbers and alternatives | X: {_NO_OOB}
V6.6.2 | 2 | Out-of-band codes are bound to the original request | X: {_NO_OOB}
V6.6.3 | 2 | Out-of-band codes are rate-limited | X: {_NO_OOB}
V6.8.1 | 2 | Identity cannot be spoofed through another identity provider | X: {_NO_IDP}
V6.8.2 | 2 | Signatures on authentication assertions are validated | X: {_NO_IDP}
V6.8.3 | 2 | SAML assertions are used once | X: {_NO_IDP}
V6.8.4 | 2 | Authentication strength from the IdP is verified | X: {_NO_IDP}
V7.1.1 | 2 | Session timeouts are documented and justified against NIST SP 800-63B | N
    documentation: README 'Inloggen en accounts': 15 minutes idle, 8 hours absolute (stricter than
    NIST AAL2: 30 minutes, 12 hours)
V7.1.2 | 2 | Documented number of concurrent sessions per account | N open: any number of parallel
    sessions is allowed; this is not documented as a decision
V7.1.3 | 2 | Federated session management is documented | X: {_NO_IDP}
V7.2.1 | 1 | Session tokens are verified at a trusted backend | T
V7.2.2 | 1 | Session tokens are generated dynamically, not static secrets | T
V7.2.3 | 1 | Reference tokens are unique, from a CSPRNG, with at least 128 bits | T
V7.2.4 | 1 | A new session token at authentication; the old one ends | T
V7.3.1 | 2 | Inactivity timeout | T
V7.3.2 | 2 | Absolute maximum session lifetime | T
V7.4.1 | 1 | Logout invalidates the session at the backend | T
V7.4.2 | 1 | All sessions end when an account is disabled | T
V7.4.3 | 2 | Other sessions can be ended after changing an authentication factor | T
V7.4.4 | 2 | Every authenticated page has a visible logout | T
V7.4.5 | 2 | Administrators can end the sessions of a user or of all users | N open: a user's
    sessions end when the functioneel beheerder deactivates the account or resets the password or
    2FA (tested under V7.4.2); there is no separate action, and none for all users
V7.5.1 | 2 | Full re-authentication before changing authentication attributes | N open: a password
    change asks for the current password only (one factor); users cannot change their own 2FA, only
    the functioneel beheerder resets it
V7.5.2 | 2 | Users can view and end their active sessions | N open: "overal uitloggen" ends every
    session, but there is no list of active sessions
V7.5.3 | 3 | Further authentication before highly sensitive operations | T
V7.6.1 | 2 | Session lifetimes between relying parties and IdPs behave as documented | X: {_NO_IDP}
V7.6.2 | 2 | Session creation needs user consent or action | X: {_NO_IDP}
V8.1.1 | 1 | Documented function-level and data-specific access rules | N documentation: README
    (roles, need-to-know per case, sharing matrix) and the route x role table in
    tests/security/test_permission_matrix.py
V8.1.2 | 2 | Documented field-level access rules | N documentation: the default sharing matrix
    (levensloop/sharing/categories.py), changed per region with a recorded reason
V8.2.1 | 1 | Function-level access only with explicit permission | T
V8.2.2 | 1 | Data-specific access only with explicit permission (IDOR, BOLA) | T
V8.2.3 | 2 | Field-level access only with explicit permission (BOPLA) | T
V8.3.1 | 1 | Authorization is enforced at a trusted service layer | T
V8.4.1 | 2 | Cross-tenant isolation in a multi-tenant application | T
V9.1.1 | 1 | Self-contained tokens are validated by signature or MAC | X: {_NO_TOKENS}
V9.1.2 | 1 | Only allowlisted algorithms for self-contained tokens | X: {_NO_TOKENS}
V9.1.3 | 1 | Token key material from trusted, pre-configured sources | X: {_NO_TOKENS}
V9.2.1 | 1 | Token validity time span is verified | X: {_NO_TOKENS}
V9.2.2 | 2 | Token type and purpose are verified | X: {_NO_TOKENS}
V9.2.3 | 2 | Token audience is verified | X: {_NO_TOKENS}
V9.2.4 | 2 | Tokens for several audiences carry an audience restriction | X: {_NO_TOKENS}
V10.1.1 | 2 | Tokens only sent to components that need them | X: {_NO_OAUTH}
V10.1.2 | 2 | Client accepts only values from its own authorization flow | X: {_NO_OAUTH}
V10.2.1 | 2 | OAuth client protected against CSRF (PKCE or state) | X: {_NO_OAUTH}
V10.2.2 | 2 | OAuth client defends against mix-up attacks | X: {_NO_OAUTH}
V10.3.1 | 2 | Resource server checks the token audience | X: {_NO_OAUTH}
V10.3.2 | 2 | Resource server enforces delegated authorization claims | X: {_NO_OAUTH}
V10.3.3 | 2 | Resource server identifies users by non-reassignable claims | X: {_NO_OAUTH}
V10.3.4 | 2 | Resource server verifies authentication strength claims | X: {_NO_OAUTH}
V10.4.1 | 1 | Redirect URIs validated by exact match | X: {_NO_OAUTH}
V10.4.2 | 1 | Authorization codes are usable once | X: {_NO_OAUTH}
V10.4.3 | 1 | Authorization codes are short-lived | X: {_NO_OAUTH}
V10.4.4 | 1 | Only the grants a client needs; no implicit or password grant | X: {_NO_OAUTH}
V10.4.5 | 1 | Refresh token replay is mitigated | X: {_NO_OAUTH}
V10.4.6 | 2 | PKCE is required for the code grant | X: {_NO_OAUTH}
V10.4.7 | 2 | Dynamic client registration risks are mitigated | X: {_NO_OAUTH}
V10.4.8 | 2 | Refresh tokens have an absolute expiry | X: {_NO_OAUTH}
V10.4.9 | 2 | Users can revoke refresh and reference tokens | X: {_NO_OAUTH}
V10.4.10 | 2 | Confidential clients authenticate on the back channel | X: {_NO_OAUTH}
V10.4.11 | 2 | Only the required scopes are assigned to a client | X: {_NO_OAUTH}
V10.5.1 | 2 | ID token replay is mitigated (nonce) | X: {_NO_OAUTH}
V10.5.2 | 2 | Users identified by a non-reassignable claim (sub) | X: {_NO_OAUTH}
V10.5.3 | 2 | Authorization server metadata issuer is checked | X: {_NO_OAUTH}
V10.5.4 | 2 | ID token audience is the client | X: {_NO_OAUTH}
V10.5.5 | 2 | Back-channel logout tokens are validated | X: {_NO_OAUTH}
V10.6.1 | 2 | OpenID Provider allows only safe response modes | X: {_NO_OAUTH}
V10.6.2 | 2 | OpenID Provider mitigates forced logout | X: {_NO_OAUTH}
V10.7.1 | 2 | Users consent to each authorization request | X: {_NO_OAUTH}
V10.7.2 | 2 | Consent prompts are clear | X: {_NO_OAUTH}
V10.7.3 | 2 | Users can review and revoke consents | X: {_NO_OAUTH}
V11.1.1 | 2 | Documented key management policy and key lifecycle | N documentation: README
    'Versleuteling en sleutels' and 'Back-up en herstel' (hierarchy, storage apart from the
    database, rotation, retirement, shredding)
V11.1.2 | 2 | Cryptographic inventory of keys, algorithms and certificates | N open: the README
    describes the keys and their use; a complete inventory (every algorithm, where each key may and
    may not be used) is not kept
V11.2.1 | 2 | Industry-validated cryptographic implementations | N review: the cryptography package
    (OpenSSL) for AES-GCM, HMAC and HKDF, argon2-cffi for passwords; no primitives of our own
V11.2.2 | 2 | Crypto agility: algorithms and keys can be replaced, data re-encrypted | T
V11.2.3 | 2 | At least 128 bits of security for all primitives | T
V11.3.1 | 1 | No insecure block modes (ECB) or weak padding | T
V11.3.2 | 1 | Only approved ciphers and modes such as AES-GCM | T
V11.3.3 | 2 | Encrypted data is protected against modification (AEAD) | T
V11.3.4 | 3* | Nonces are not reused for a key | T
V11.4.1 | 1 | Only approved hash functions | N review: SHA-256, HMAC-SHA-256 and argon2id; Flask
    signs the session cookie with HMAC-SHA1 (itsdangerous default; HMAC-SHA1 is still approved as a
    MAC)
V11.4.2 | 2 | Passwords stored with an approved, costly key derivation function | T
V11.4.3 | 2 | Hashes for integrity are collision resistant, at least 256 bits | N review: the audit
    hash chain and token hashes use SHA-256
V11.4.4 | 2 | Approved KDFs with stretching for keys derived from passwords | X: no key is derived
    from a password
V11.5.1 | 2 | Non-guessable values from a CSPRNG with at least 128 bits | N open: session tokens and
    API keys have 256 bits, but recovery codes have 120 bits and one-time passwords about 116 bits
V11.6.1 | 2 | Approved algorithms for key generation and signatures | X: no public-key cryptography
    in the application (TLS terminates at the reverse proxy)
V12.1.1 | 1 | Only TLS 1.2 and 1.3 | N deployment: TLS terminates at the reverse proxy
V12.1.2 | 2 | Only recommended cipher suites | N deployment: TLS terminates at the reverse proxy
V12.1.3 | 2 | mTLS client certificates are validated | X: no client certificates
V12.2.1 | 1 | TLS for all external HTTP connections, no fallback | N deployment: TLS at the reverse
    proxy; the application redirects HTTP and sends HSTS (V3.4.1)
V12.2.2 | 1 | Publicly trusted TLS certificates | N deployment: the certificate of the reverse proxy
V12.3.1 | 2 | Encrypted protocols for all connections (database, mail, management) | N deployment:
    mail uses STARTTLS by default; TLS to PostgreSQL and Redis follows the connection URLs (sslmode,
    rediss://)
V12.3.2 | 2 | TLS clients validate certificates | N deployment: set by the connection URLs and the
    system trust store
V12.3.3 | 2 | TLS between internal HTTP services | X: no internal HTTP services
V12.3.4 | 2 | Trusted certificates between internal services | X: no internal HTTP services
V13.1.1 | 2 | All communication needs are documented | N documentation: README 'Configuratie', 'In
    productie' and 'De planner': database, Redis and SMTP, nothing else
V13.2.1 | 2 | Backend communication is authenticated without static credentials | N deployment:
    database and Redis credentials come from the environment; certificates or short-lived
    credentials are the operator's choice
V13.2.2 | 2 | Backend accounts have least privilege | N deployment: database roles are set up at
    deployment; on PostgreSQL the audit table refuses UPDATE and DELETE (V16.4.2)
V13.2.3 | 2 | No default credentials for service authentication | N deployment: the database, Redis
    and SMTP credentials are the operator's
V13.2.4 | 2 | Allowlist for outbound communication | N deployment: the application only connects to
    the configured database, Redis and SMTP server; a firewall enforces it
V13.2.5 | 2 | Server allowlist for requests and loaded resources | N deployment: as V13.2.4
V13.3.1 | 2 | Secrets in a secrets manager, not in source code or build artefacts | T: production
    refuses to start without its own secrets or with values known from the source; the vault itself
    is deployment
V13.3.2 | 2 | Least privilege for secret assets | T
V13.4.1 | 1 | No source control metadata is deployed or reachable | N deployment: only the package
    and static/ are served; the checkout is not
V13.4.2 | 2 | Debug modes are off in production | T
V13.4.3 | 2 | No directory listings | T
V13.4.4 | 2 | HTTP TRACE is not supported | T
V13.4.5 | 2 | Documentation and monitoring endpoints are exposed only as intended | T
V14.1.1 | 2 | Sensitive data is identified and classified | N documentation: seven data categories
    (README 'Gegevens delen en het auditlogboek', levensloop/sharing/categories.py); every personal
    column is encrypted
V14.1.2 | 2 | Protection requirements per protection level are documented | N documentation: README
    (encryption, audit log, retention, sharing matrix)
V14.2.1 | 1 | No sensitive data in URLs or query strings | T
V14.2.2 | 2 | Sensitive data is not cached in server components | T
V14.2.3 | 2 | Sensitive data is not sent to untrusted parties | T
V14.2.4 | 2 | Controls for sensitive data are implemented as documented | T
V14.2.6 | 3* | Only the minimum sensitive data is returned; masking | T
V14.2.7 | 3* | Retention classification and automatic deletion | T
V14.2.8 | 3* | Metadata is removed from uploaded files | N open: uploads are stored as received
    (encrypted); metadata is not stripped
V14.3.1 | 1 | Authenticated data is cleared from the client after the session | N open: no
    Clear-Site-Data on logout; pages are sent with Cache-Control: no-store and nothing is kept in
    browser storage
V14.3.2 | 2 | Anti-caching headers (Cache-Control: no-store) | T
V14.3.3 | 2 | No sensitive data in browser storage | T
V15.1.1 | 1 | Documented remediation time frames for vulnerable components | N process: the
    maintainers' update policy
V15.1.2 | 2 | Inventory (SBOM) of third-party libraries from trusted repositories | N process:
    pyproject.toml pins the Python dependencies, THIRD_PARTY_NOTICES.md lists the front-end
    packages; an SBOM is a release step
V15.1.3 | 2 | Resource-demanding functionality is documented | N documentation: README 'Prestaties'
V15.2.1 | 1 | Components within the remediation time frames | N process: a dependency audit
    (pip-audit) in CI
V15.2.2 | 2 | Defences against loss of availability by costly functionality | T
V15.2.3 | 2 | No test code or development functionality in production | T
V15.3.1 | 1 | Only the required subset of fields is returned | T
V15.3.2 | 2 | Backend calls to external URLs do not follow redirects | X: no outbound HTTP requests
V15.3.3 | 2 | Mass assignment is prevented | T
V15.3.4 | 2 | The original client IP comes from trusted fields through proxies | T
V15.3.5 | 2 | Variables of the correct type, strict comparisons | N review: typed form fields
    (WTForms), typed ORM columns, the UUID converter for ids in URLs
V15.3.6 | 2 | JavaScript free of prototype pollution | N review: static/js/levensloop.js only moves
    focus; it merges no objects from input
V15.3.7 | 2 | Defences against HTTP parameter pollution | N review: form values are read from
    request.form and ids from the path; query strings never supply form input
V15.4.2 | 3* | Checks and dependent actions are atomic (no TOCTOU) | T
V16.1.1 | 2 | Inventory of logging: events, formats, storage, access, retention | N open: the audit
    log is documented (README, NEN 7513 fields); the application log (stderr) is not in a written
    inventory
V16.2.1 | 2 | Log entries say when, where, who and what | T
V16.2.2 | 2 | Synchronised time; UTC timestamps | T
V16.2.3 | 2 | Logs go only to documented destinations | N deployment: the audit log to the database,
    the application log to stderr (gunicorn, systemd)
V16.2.4 | 2 | Logs can be read and correlated by the log processor | N deployment: the audit log is
    searchable and exportable (CSV) by the privacy officer; a SIEM is the operator's
V16.2.5 | 2 | Sensitive data is logged according to its protection level | T
V16.3.1 | 2 | All authentication operations are logged | T
V16.3.2 | 2 | Failed authorization attempts are logged | T
V16.3.3 | 2 | Documented security events and bypass attempts are logged | N open: TOTP replays,
    lockouts and denied access are logged; refused CSRF tokens and rate-limit refusals are not
V16.3.4 | 2 | Unexpected errors and security control failures are logged | T
V16.4.1 | 2 | Log data is encoded against log injection | N open: audit records are structured rows
    (details as JSON); the plain-text application log does not escape control characters in the
    request path
V16.4.2 | 2 | Logs are protected against unauthorized access and modification | T
V16.4.3 | 2 | Logs are sent to a logically separate system | N deployment: README: run audit verify
    daily and keep the head hash off the server; shipping logs is the operator's
V16.5.1 | 2 | Generic error messages, no internals | T
V16.5.2 | 2 | Secure operation when external resources fail | T
V16.5.3 | 2 | Fail securely; no fail-open on exceptions | T
V17.1.1 | 2 | TURN only to non-reserved addresses | X: {_NO_WEBRTC}
V17.2.1 | 2 | DTLS certificate key managed by policy | X: {_NO_WEBRTC}
V17.2.2 | 2 | Approved DTLS cipher suites and SRTP profile | X: {_NO_WEBRTC}
V17.2.3 | 2 | SRTP authentication checked | X: {_NO_WEBRTC}
V17.2.4 | 2 | Media server survives malformed SRTP | X: {_NO_WEBRTC}
V17.3.1 | 2 | Signalling server survives floods | X: {_NO_WEBRTC}
V17.3.2 | 2 | Signalling server survives malformed messages | X: {_NO_WEBRTC}
"""


@dataclass(frozen=True)
class Requirement:
    id: str
    level: int
    targeted: bool  # a Level 3 requirement the security design targets (★)
    text: str
    status: str  # the declared status, one of STATUSES
    kind: str | None  # for "not automated": one of REASON_KINDS
    reason: str  # why not automated / not applicable; for tested an optional note

    @property
    def chapter(self) -> str:
        return self.id.split(".")[0]

    @property
    def level_label(self) -> str:
        return f"L{self.level}" + ("★" if self.targeted else "")


def _parse(table: str) -> dict[str, Requirement]:
    catalogue: dict[str, Requirement] = {}
    entries: list[str] = []
    for line in table.strip().splitlines():
        if line.startswith(" "):  # a continuation of the entry above
            entries[-1] += " " + line.strip()
        else:
            entries.append(line)
    for entry in entries:
        rid, level, text, status = (part.strip() for part in entry.split("|", 3))
        if rid in catalogue:
            raise ValueError(f"{rid} staat twee keer in de catalogus")
        kind, reason = None, ""
        if status == "T" or status.startswith("T:"):
            declared, reason = TESTED, status[2:].strip()
        elif status.startswith("X:"):
            declared, reason = NOT_APPLICABLE, status[2:].strip()
        elif status.startswith("N "):
            kind, _, reason = status[2:].partition(":")
            declared, kind, reason = NOT_AUTOMATED, kind.strip(), reason.strip()
        else:
            raise ValueError(f"{rid}: onbekende status {status!r}")
        catalogue[rid] = Requirement(
            id=rid,
            level=int(level.rstrip("*")),
            targeted=level.endswith("*"),
            text=text,
            status=declared,
            kind=kind,
            reason=reason,
        )
    return catalogue


CATALOGUE: dict[str, Requirement] = _parse(_TABLE)


def _sort_key(rid: str) -> tuple[int, ...]:
    return tuple(int(part) for part in rid[1:].split("."))


def requirements() -> list[Requirement]:
    return sorted(CATALOGUE.values(), key=lambda r: _sort_key(r.id))


# ---------------------------------------------------------------- collecting the markers


def _function_id(nodeid: str) -> str:
    """The test function of a node id: parametrisations are one test here."""
    return nodeid.split("[", 1)[0]


def marker_ids(item) -> list[str]:
    ids: list[str] = []
    for mark in item.iter_markers(name=MARKER):
        ids.extend(str(arg) for arg in mark.args)
    return ids


def coverage_from_items(items) -> dict[str, list[str]]:
    """Requirement id -> sorted test functions (node ids without parameters)."""
    found: dict[str, set[str]] = defaultdict(set)
    for item in items:
        for rid in marker_ids(item):
            found[rid].add(_function_id(item.nodeid))
    return {rid: sorted(tests) for rid, tests in sorted(found.items())}


class _Collector:
    def __init__(self) -> None:
        self.items: list = []

    def pytest_collection_finish(self, session) -> None:
        self.items = list(session.items)


def collect(paths: list[str] | None = None) -> dict[str, list[str]]:
    """Collect the tests (without running them) and return their ASVS markers."""
    import pytest

    collector = _Collector()
    args = [
        "--collect-only",
        "-q",
        "-p",
        "no:cacheprovider",
        "--rootdir",
        str(ROOT),
        *(paths or [str(TESTS)]),
    ]
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        code = pytest.main(args, plugins=[collector])
    if code not in (0, 5):  # 5: nothing collected
        sys.stderr.write(output.getvalue())
        raise SystemExit(f"pytest kon de tests niet verzamelen (exitcode {code})")
    return coverage_from_items(collector.items)


# ---------------------------------------------------------------- the report


@dataclass(frozen=True)
class Row:
    requirement: Requirement
    status: str  # derived: tested when a test carries the marker
    tests: list[str]


def rows(coverage: dict[str, list[str]]) -> list[Row]:
    result = []
    for req in requirements():
        tests = coverage.get(req.id, [])
        if tests:
            status = TESTED
        else:
            status = MISSING if req.status == TESTED else req.status
        result.append(Row(req, status, tests))
    return result


def counts(report_rows: list[Row], *, max_level: int = 2) -> dict[str, int]:
    """Counts per derived status for the requirements up to `max_level`."""
    selected = [r for r in report_rows if r.requirement.level <= max_level]
    result = {
        status: sum(1 for r in selected if r.status == status) for status in (*STATUSES, MISSING)
    }
    result["total"] = len(selected)
    result["in scope"] = result["total"] - result[NOT_APPLICABLE]
    return result


def uncovered(report_rows: list[Row], *, max_level: int = 2) -> list[Row]:
    """In-scope requirements up to `max_level` without a test."""
    return [
        r
        for r in report_rows
        if r.requirement.level <= max_level and r.status in (NOT_AUTOMATED, MISSING)
    ]


def unknown_ids(coverage: dict[str, list[str]]) -> list[str]:
    return sorted(rid for rid in coverage if rid not in CATALOGUE)


def _why(row: Row) -> str:
    req = row.requirement
    if row.status == NOT_AUTOMATED:
        return f"{req.kind}: {req.reason}"
    return req.reason


def render_text(coverage: dict[str, list[str]]) -> str:
    report_rows = rows(coverage)
    lines = ["OWASP ASVS 5.0.0 — dekking door de tests van Levensloop", ""]
    for chapter, name in CHAPTERS.items():
        chapter_rows = [r for r in report_rows if r.requirement.chapter == chapter]
        if not chapter_rows:
            continue
        lines.append(f"{chapter} {name}")
        for row in chapter_rows:
            req = row.requirement
            lines.append(f"  {req.id:<9} {req.level_label:<4} {row.status:<15} {req.text}")
            why = _why(row)
            if why:
                lines.append(f"{'':31}{why}")
            for test in row.tests:
                lines.append(f"{'':31}- {test}")
        lines.append("")
    lines.extend(_summary_lines(report_rows))
    unknown = unknown_ids(coverage)
    if unknown:
        lines.append("Onbekende ASVS-ids in markers: " + ", ".join(unknown))
    return "\n".join(lines) + "\n"


def _summary_lines(report_rows: list[Row]) -> list[str]:
    c = counts(report_rows)
    kinds = defaultdict(int)
    for row in uncovered(report_rows):
        if row.status == NOT_AUTOMATED:
            kinds[row.requirement.kind] += 1
    kind_text = ", ".join(f"{kind} {kinds[kind]}" for kind in REASON_KINDS if kinds[kind])
    l3 = [r for r in report_rows if r.requirement.level == 3]
    missing = f", geclaimd maar geen test gevonden {c[MISSING]}" if c[MISSING] else ""
    return [
        f"Level 1 + 2: {c['total']} eisen; niet van toepassing {c[NOT_APPLICABLE]}; "
        f"in scope {c['in scope']}: getest {c[TESTED]}, niet geautomatiseerd "
        f"{c[NOT_AUTOMATED]} ({kind_text}){missing}",
        f"Level 3 (doel of getest): {len(l3)}, waarvan getest "
        f"{sum(1 for r in l3 if r.status == TESTED)}",
    ]


def _md_escape(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(coverage: dict[str, list[str]]) -> str:
    report_rows = rows(coverage)
    c = counts(report_rows)
    out = [
        "# OWASP ASVS 5.0.0: dekking door de tests",
        "",
        "Gegenereerd met `.venv/bin/python -m tests.asvs --markdown docs/asvs.md`; niet met de "
        "hand bewerken. De catalogus staat in `tests/asvs.py`; een test noemt de eis die hij "
        'controleert met `@pytest.mark.asvs("V8.2.2")`. `tests/test_asvs_catalogue.py` faalt als '
        "dit bestand niet meer klopt.",
        "",
        "Doel: Level 2 (alle eisen van Level 1 en 2), plus de Level 3-eisen die het "
        "beveiligingsontwerp nastreeft (★) of die we toch testen.",
        "",
        "Status: *tested* (een test draagt de marker), *not automated* met de soort reden "
        "(process, deployment, documentation, review, open) of *not applicable*.",
        "",
        "| | aantal |",
        "| --- | ---: |",
        f"| eisen op Level 1 en 2 | {c['total']} |",
        f"| niet van toepassing | {c[NOT_APPLICABLE]} |",
        f"| in scope | {c['in scope']} |",
        f"| getest | {c[TESTED]} |",
        f"| niet geautomatiseerd | {c[NOT_AUTOMATED]} |",
        "",
    ]
    open_rows = [r for r in uncovered(report_rows) if r.requirement.kind == "open"]
    if open_rows:
        out.append(
            "Open (nog niet of niet volledig gedekt): "
            + ", ".join(r.requirement.id for r in open_rows)
            + "."
        )
        out.append("")
    for chapter, name in CHAPTERS.items():
        chapter_rows = [r for r in report_rows if r.requirement.chapter == chapter]
        if not chapter_rows:
            continue
        out.extend([f"## {chapter} {name}", "", "| eis | niveau | status | toelichting en tests |"])
        out.append("| --- | --- | --- | --- |")
        for row in chapter_rows:
            req = row.requirement
            parts = [_md_escape(req.text)]
            why = _why(row)
            if why:
                parts.append("*" + _md_escape(why) + "*")
            parts.extend(f"`{test}`" for test in row.tests)
            out.append(f"| {req.id} | {req.level_label} | {row.status} | {'<br>'.join(parts)} |")
        out.append("")
    return "\n".join(out)


# ---------------------------------------------------------------- pytest terminal summary


def _is_full_run(config) -> bool:
    """A run over the whole test directory (or the project root), not a selection."""
    import os

    if os.environ.get("LEVENSLOOP_ASVS_SUMMARY", "").strip() in ("1", "true", "yes", "ja"):
        return True
    if config.getoption("collectonly", False) or config.getoption("markexpr", ""):
        return False
    args = [a for a in config.args if not a.startswith("-")] or [str(config.rootpath)]
    for arg in args:
        path = Path(config.invocation_params.dir, arg.split("::", 1)[0]).resolve()
        if path in (ROOT, TESTS):
            return True
    return False


def terminal_summary(terminalreporter, config) -> None:
    """After a full run: counts per status and the in-scope L1/L2 ids without a test."""
    if not _is_full_run(config):
        return
    session = config.pluginmanager.get_plugin("session")
    items = getattr(session, "items", None) or []
    coverage = coverage_from_items(items)
    report_rows = rows(coverage)
    write = terminalreporter.write_line
    terminalreporter.section("OWASP ASVS 5.0 (python -m tests.asvs voor de hele lijst)")
    for line in _summary_lines(report_rows):
        write(line)
    missing = [r.requirement.id for r in uncovered(report_rows)]
    write("Level 1 + 2 zonder test: " + (", ".join(missing) or "geen"))
    failed = {
        _function_id(report.nodeid)
        for key in ("failed", "error")
        for report in terminalreporter.stats.get(key, [])
        if hasattr(report, "nodeid")
    }
    broken = sorted(
        {rid for rid, tests in coverage.items() if failed.intersection(tests)}, key=_sort_key
    )
    if broken:
        write("Eisen met een falende test in deze run: " + ", ".join(broken), red=True)
    unknown = unknown_ids(coverage)
    if unknown:
        write("Onbekende ASVS-ids in markers: " + ", ".join(unknown), red=True)


# ---------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.asvs",
        description="Dekking van OWASP ASVS 5.0.0 door de tests (verzamelt de asvs-markers).",
    )
    parser.add_argument("paths", nargs="*", help="testmappen of -bestanden (standaard: tests/)")
    parser.add_argument("--markdown", metavar="PAD", help="schrijf de lijst ook als Markdown")
    parser.add_argument("--json", action="store_true", help="alleen eis -> tests als JSON")
    options = parser.parse_args(argv)
    coverage = collect(options.paths or None)
    if options.json:
        print(json.dumps(coverage, indent=1, sort_keys=True))
        return 0
    print(render_text(coverage), end="")
    if options.markdown:
        Path(options.markdown).write_text(render_markdown(coverage), encoding="utf-8")
        print(f"Geschreven: {options.markdown}")
    return 1 if unknown_ids(coverage) else 0


if __name__ == "__main__":
    raise SystemExit(main())
