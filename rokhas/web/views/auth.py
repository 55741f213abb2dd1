"""Sign-in and sign-out (django.contrib.auth views; django-axes locks out repeated failures
and renders web/lockout.html, see AXES_LOCKOUT_TEMPLATE), and the officials' TOTP step."""

from __future__ import annotations

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login

from rokhas.accounts import second_factor


class RokhasLoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True

    def get_success_url(self):
        url = super().get_success_url()
        if second_factor.required_for(self.request.user):
            return f"{_otp_url()}?next={url}"
        return url


class RokhasLogoutView(auth_views.LogoutView):
    template_name = "web/logged_out.html"


def _otp_url():
    from django.urls import reverse

    return reverse("web:otp")


class TokenForm(forms.Form):
    token = forms.CharField(label=gettext_lazy("Six-digit code from your authenticator app"), max_length=8,
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


@login_required
def otp(request):
    """Verify the session with a TOTP code; enrol a device first if the official has none."""
    user = request.user
    next_url = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    if not second_factor.required_for(user) or user.is_verified():
        return redirect(next_url)
    device = second_factor.confirmed_device(user)
    enrolling = device is None
    if enrolling:
        device = second_factor.pending_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        allowed, _info = device.verify_is_allowed()
        if not allowed:  # django-otp throttles after each wrong code (1 s, 2 s, 4 s…)
            form.add_error("token", _("Too many wrong codes: wait a few seconds, then type the current code."))
        elif device.verify_token(form.cleaned_data["token"].strip()):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Second factor verified."))
            return redirect(next_url)
        form.add_error("token", _("This code is not valid. Check your phone's clock and try the current code."))
    ctx = {"form": form, "enrolling": enrolling, "next": next_url}
    if enrolling:
        ctx["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(scale=4)
        ctx["secret"] = device.key  # hex; the app reads the QR code, this is the fallback
    return render(request, "web/otp.html", ctx)
