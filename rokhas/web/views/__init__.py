"""Views of the web pages: thin, they call rokhas domain functions and render templates."""
