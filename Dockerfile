# One image for web, worker and beat: the same Django definition everywhere.

FROM node:20-bookworm-slim AS frontend
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_ENV=production
# WeasyPrint renders board papers with Pango; the fonts make them readable.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
      libharfbuzz-subset0 fonts-dejavu-core fonts-liberation \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 portal
WORKDIR /app
COPY pyproject.toml README.md ./
COPY ics_portal ics_portal
COPY governance governance
COPY delegation delegation
COPY milestones milestones
RUN pip install .
COPY . .
COPY --from=frontend /build/node_modules node_modules
# collectstatic needs settings to import; these build-time values never reach a container.
RUN SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost PORTAL_BASE_URL=http://localhost \
    python manage.py collectstatic --no-input \
 && mkdir -p /app/media && chown -R portal /app/media
USER portal
EXPOSE 8000
CMD ["gunicorn", "ics_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
