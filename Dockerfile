FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 VAR_DIR=/srv/var MEDIA_ROOT=/srv/var/media
RUN apt-get update && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /srv/app
COPY . .
RUN pip install --no-cache-dir -e . && SECRET_KEY=build python manage.py collectstatic --noinput -v 0
RUN useradd --system --home /srv app && mkdir -p /srv/var/media && chown -R app /srv/var
USER app
EXPOSE 8000
CMD ["gunicorn", "inspection.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
