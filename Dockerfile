# Image of the API, the worker and beat (docker-compose.yml).
FROM python:3.11-slim
RUN apt-get update && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-fra \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY . /app
RUN pip install --no-cache-dir -c constraints.txt .
ENV CONSTATS_STATE_DIR=/data
VOLUME /data
EXPOSE 8000
CMD ["constats", "serve", "--host", "0.0.0.0", "--port", "8000"]
