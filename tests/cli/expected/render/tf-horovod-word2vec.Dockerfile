FROM tensorflow/tensorflow:1.13.2-gpu-py3
WORKDIR /workspace
ENV HOROVOD_WITH_TENSORFLOW=1
COPY requirements.txt /tmp/trainspec/requirements.txt
RUN ["python", "-m", "pip", "install", "--no-cache-dir", "-r", "/tmp/trainspec/requirements.txt"]
COPY ["./tf-distr-hvd", "/workspace"]
