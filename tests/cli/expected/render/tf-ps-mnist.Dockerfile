FROM tensorflow/tensorflow:1.13.2-gpu-py3
COPY requirements.txt /tmp/trainspec/requirements.txt
RUN ["python", "-m", "pip", "install", "--no-cache-dir", "-r", "/tmp/trainspec/requirements.txt"]
WORKDIR /workspace
COPY --from=source . /workspace
