# The production image: the same code as `make run`, configured from the environment.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update && apt-get install -y --no-install-recommends \
        fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 curl \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY . .
RUN pip install --no-cache-dir -c constraints.txt ".[s3]" \
    && SECRET_KEY=build-only python manage.py collectstatic --noinput \
    && useradd --system --uid 1000 award && mkdir -p /app/var/media && chown -R award /app/var

USER award
EXPOSE 8000
CMD ["gunicorn", "award_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-", "--forwarded-allow-ips", "*"]
