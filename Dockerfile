FROM python:3.11-slim
RUN pip install --no-cache-dir uv
WORKDIR /app
COPY pyproject.toml uv.lock README.md ./
COPY pipeline pipeline
COPY models models
COPY topics topics
COPY text text
COPY dashboards dashboards
COPY scenarios scenarios
RUN uv sync --frozen --no-dev && ln -s /app/.venv/bin/ledenradar /usr/local/bin/ledenradar \
 && /app/.venv/bin/ledenradar models provision multilingual-e5-small --quiet
ENV HF_HUB_OFFLINE=1
