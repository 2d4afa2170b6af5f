# The production image: the same code as `make run`, configured from the environment.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update && apt-get install -y --no-install-recommends \
        fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 curl \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Dependencies first, from pyproject.toml and the pins alone: this layer is rebuilt only when
# they change, not at every code change.
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; \
print('\n'.join(p['dependencies'] + p['optional-dependencies']['s3']))" > /tmp/requirements.txt \
    && pip install --no-cache-dir -c constraints.txt -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# Then the code, installed as a package too (its dependencies are already there).
COPY . .
# A home for the user: fontconfig (WeasyPrint) keeps its cache there.
RUN pip install --no-cache-dir --no-deps . \
    && SECRET_KEY=build-only python manage.py collectstatic --noinput \
    && useradd --system --uid 1000 --create-home --home-dir /home/award award \
    && mkdir -p /app/var/media /app/var/signing && chown -R award /app/var

USER award
EXPOSE 8000
CMD ["gunicorn", "award_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-", "--forwarded-allow-ips", "*", "--no-control-socket"]
