#!/bin/sh
# trainspec: builds trainspec/tf-mnist:8f99fdb85add0497, the image of tf-mnist, from the Dockerfile here
set -eu
docker build --build-context source="$PWD"/tf-mnist --tag trainspec/tf-mnist:8f99fdb85add0497 "$PWD"
