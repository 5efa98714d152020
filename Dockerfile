# The Netra API, CLI and Airflow DAGs in one image. The embedded store and models live in /var/lib/netra.
FROM python:3.11-slim
WORKDIR /app
ENV PIP_NO_CACHE_DIR=1 HF_HUB_OFFLINE=1
# torch first and pinned (use your environment's CPU build; an unpinned torch pulls CUDA).
RUN pip install torch==2.13.0
COPY pyproject.toml README.md ./
COPY netra netra
COPY collectors collectors
COPY classifiers classifiers
COPY api api
COPY data data
COPY dags dags
COPY dashboards dashboards
# The Airflow providers of docker-compose.yml: CeleryExecutor (Redis broker) and the PostgreSQL
# metadata database (psycopg2).
RUN pip install '.[airflow]' torch==2.13.0 \
        apache-airflow-providers-celery==3.26.0 apache-airflow-providers-postgres==7.1.1
ENV NETRA_API_HOST=0.0.0.0 \
    NETRA_DATA_DIR=/app/data \
    NETRA_DB_PATH=/var/lib/netra/netra.db \
    NETRA_VAR_DIR=/var/lib/netra \
    NETRA_MODEL_DIR=/var/lib/netra/models \
    AIRFLOW_HOME=/var/lib/netra/airflow \
    AIRFLOW__CORE__DAGS_FOLDER=/app/dags \
    AIRFLOW__CORE__LOAD_EXAMPLES=False
VOLUME /var/lib/netra
EXPOSE 8000
CMD ["netra", "serve", "--workers", "2"]
