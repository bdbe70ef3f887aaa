"""Two-factor sign-in: set up an authenticator, sign in with its code or a recovery code,
and nothing reached with a password alone by those who must use it."""


import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True
    settings.TWO_FACTOR_FOR_INSPECTORS = False


def code_for(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def sign_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def enrol(client, user) -> list[str]:
    sign_in(client, user)
    assert client.get("/")["Location"].startswith(reverse("security:two_factor_setup"))
    page = client.get(reverse("security:two_factor_setup"))
    assert "<svg" in page.content.decode() and "Set up two-factor sign-in" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("security:two_factor_setup"), {"code": code_for(device), "next": "/"})
    assert response.status_code == 200
    return list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


def test_a_lead_must_set_up_two_factor_before_anything_else(client, lead, required):
    sign_in(client, lead)
    for path in ("/", reverse("reports:index"), "/admin/"):
        assert client.get(path)["Location"].startswith(reverse("security:two_factor_setup")), path
    assert client.post(reverse("security:keep_alive")).status_code == 401


def test_a_lead_enrols_and_gets_ten_recovery_codes_shown_once(client, lead, required):
    codes = enrol(client, lead)
    assert len(codes) == 10
    assert client.get("/").status_code == 200
    assert TOTPDevice.objects.get(user=lead).confirmed


def test_a_wrong_first_code_does_not_confirm_the_authenticator(client, lead, required):
    sign_in(client, lead)
    client.get(reverse("security:two_factor_setup"))
    response = client.post(reverse("security:two_factor_setup"), {"code": "000000"})
    assert response.status_code == 400 and "Enter the 6-digit code" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=lead, confirmed=True).exists()


def test_signing_in_again_asks_for_a_code_and_accepts_the_apps(client, lead, required):
    enrol(client, lead)
    client.logout()
    sign_in(client, lead)
    assert client.get("/")["Location"].startswith(reverse("security:two_factor_verify"))
    device = TOTPDevice.objects.get(user=lead)
    device.last_t = -1  # the enrolment code was this time step's; a new sign-in may use the same step
    device.save()
    response = client.post(reverse("security:two_factor_verify"), {"code": code_for(device), "next": "/"})
    assert response.status_code == 302 and client.get("/").status_code == 200


def test_a_recovery_code_works_once(client, lead, required):
    codes = enrol(client, lead)
    client.logout()
    sign_in(client, lead)
    assert client.post(reverse("security:two_factor_verify"), {"code": codes[0]}).status_code == 302
    assert client.get("/").status_code == 200
    client.logout()
    sign_in(client, lead)
    assert client.post(reverse("security:two_factor_verify"), {"code": codes[0]}).status_code == 400
    assert client.get("/").status_code == 302


def test_a_wrong_code_is_refused_and_reaches_nothing(client, lead, required):
    enrol(client, lead)
    client.logout()
    sign_in(client, lead)
    response = client.post(reverse("security:two_factor_verify"), {"code": "123456"})
    assert response.status_code == 400 and "The code is not right" in response.content.decode()
    assert client.get(reverse("reports:index")).status_code == 302


def test_inspectors_need_it_only_when_the_setting_says(client, inspector, required, settings):
    sign_in(client, inspector)
    assert client.get("/").status_code == 200
    settings.TWO_FACTOR_FOR_INSPECTORS = True
    assert client.get("/")["Location"].startswith(reverse("security:two_factor_setup"))


def test_the_local_demo_leaves_it_off_and_the_sign_in_page_says_so(client, lead, settings):
    settings.TWO_FACTOR_REQUIRED = False
    assert "Two-factor sign-in is off" in client.get(reverse("login")).content.decode()
    sign_in(client, lead)
    assert client.get("/").status_code == 200


def test_two_factor_pages_are_for_signed_in_people_and_refuse_other_methods(client, lead, required):
    assert client.get(reverse("security:two_factor_verify"))["Location"].startswith(reverse("login"))
    sign_in(client, lead)
    assert client.put(reverse("security:two_factor_setup")).status_code == 405


def test_production_requires_it_by_default():
    import subprocess
    import sys

    from django.conf import settings as live

    code = "import django; django.setup(); from django.conf import settings; print(settings.TWO_FACTOR_REQUIRED)"
    env = {"HTTPS": "true", "SECRET_KEY": "x" * 60, "DJANGO_SETTINGS_MODULE": "inspection.settings"}
    env.update(PATH="/usr/bin:/bin", VAR_DIR=str(live.VAR_DIR))
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=live.BASE_DIR)
    assert out.stdout.strip() == "True", out.stderr
    env["TWO_FACTOR_REQUIRED"] = "false"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=live.BASE_DIR)
    assert out.stdout.strip() == "False", out.stderr
