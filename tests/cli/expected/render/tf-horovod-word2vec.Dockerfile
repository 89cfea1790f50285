FROM tensorflow/tensorflow:1.13.2-gpu-py3
RUN apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install --yes --no-install-recommends openssh-client openssh-server g++ make openmpi-bin libopenmpi-dev "python$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')-dev" && rm -rf /var/lib/apt/lists/*
RUN mkdir -p /var/run/sshd && printf '%s\n' 'StrictHostKeyChecking no' 'UserKnownHostsFile /dev/null' >> /etc/ssh/ssh_config && printf '%s\n' 'StrictModes no' >> /etc/ssh/sshd_config
ENV HOROVOD_WITH_TENSORFLOW=1 HOROVOD_WITH_MPI=1 HOROVOD_WITHOUT_PYTORCH=1 HOROVOD_WITHOUT_MXNET=1
COPY requirements.txt /tmp/trainspec/requirements.txt
RUN ["python", "-m", "pip", "install", "--no-cache-dir", "tensorflow-gpu==1.13.*"]
RUN ["python", "-m", "pip", "install", "--no-cache-dir", "-r", "/tmp/trainspec/requirements.txt"]
RUN ["python", "-m", "pip", "install", "--no-cache-dir", "horovod==0.19.5"]
WORKDIR /workspace
COPY --from=source . /workspace
