FROM mcr.microsoft.com/azureml/openmpi3.1.2-cuda10.0-cudnn7-ubuntu18.04
COPY environment.yml /tmp/trainspec/environment.yml
ENV PATH=/opt/trainspec/env/bin:$PATH
RUN ["conda", "env", "create", "--prefix", "/opt/trainspec/env", "--file", "/tmp/trainspec/environment.yml"]
WORKDIR /workspace
COPY --from=source . /workspace
