"""One unbound instance per Flask extension; bound in create_app()."""

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman
from flask_wtf.csrf import CSRFProtect

from levensloop.db import Base

# A request is short-lived: objects stay loaded after a service commits, so a page can render
# what the service returned without reloading every row (no query per row after a commit).
# hide_parameters: a database error (logged as an unexpected error) names the statement but
# never the values, which may be personal data or what a user typed.
db = SQLAlchemy(
    model_class=Base,
    session_options={"expire_on_commit": False},
    engine_options={"hide_parameters": True},
)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
talisman = Talisman()
