"""Sign-in and sign-out (django.contrib.auth views; django-axes locks out repeated failures
and renders web/lockout.html, see AXES_LOCKOUT_TEMPLATE)."""

from django.contrib.auth import views as auth_views


class RokhasLoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


class RokhasLogoutView(auth_views.LogoutView):
    template_name = "web/logged_out.html"
