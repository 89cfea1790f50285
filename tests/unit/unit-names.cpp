// names.hpp (the syntax of names a job carries into Kubernetes, shells,
// launchers and Docker) and resource_names.hpp (the job name and the names
// Kubernetes derives from it).

#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include <trainspec/spec/names.hpp>
#include <trainspec/spec/resource_names.hpp>
#include <trainspec/validate.hpp>

using namespace trainspec;

// The syntax checks are constexpr.
static_assert(is_dns1035_label("tf-mnist"));
static_assert(!is_dns1035_label("Tf-mnist"));
static_assert(*parse_docker_size("1k") == 1024);
static_assert(!parse_docker_size("0").has_value());

TEST_CASE("DNS-1035 labels: [a-z]([-a-z0-9]*[a-z0-9])?, at most 63") {
    for (const std::string& good :
         {std::string("a"), std::string("tf-mnist"), std::string("job-2"), std::string("a--b"), std::string("a0"),
          std::string(63, 'x'), "a" + std::string(61, '-') + "b"}) {
        CAPTURE(good);
        CHECK(is_dns1035_label(good));
    }
    for (const std::string& bad :
         {std::string(), std::string(64, 'x'), std::string("1job"), std::string("-job"), std::string("job-"),
          std::string("Job"), std::string("jOb"), std::string("tf_mnist"), std::string("tf.mnist"),
          std::string("tf mnist"), std::string("0"), std::string("-"), std::string("caf\xc3\xa9")}) {
        CAPTURE(bad);
        CHECK_FALSE(is_dns1035_label(bad));
    }
    CHECK(max_dns_label_length == 63);
}

TEST_CASE("portable environment variable names: [A-Za-z_][A-Za-z0-9_]*") {
    for (const char* good : {"PATH", "_", "_x1", "a", "NCCL_DEBUG", "TF_CONFIG", "x9"})
        CHECK_MESSAGE(is_portable_env_name(good), good);
    for (const char* bad : {"", "1A", "9", "A-B", "A.B", "A B", "A=B", "A$", "\xc3\xa9"})
        CHECK_MESSAGE(!is_portable_env_name(bad), bad);
}

TEST_CASE("host names: [A-Za-z0-9_.-]+, at most 253") {
    for (const char* good : {"node-1", "10.0.0.7", "node_1.cluster.local", "GPU-Node", "localhost"})
        CHECK_MESSAGE(is_host_name(good), good);
    CHECK(is_host_name(std::string(253, 'h')));
    CHECK_FALSE(is_host_name(std::string(254, 'h')));
    for (const char* bad : {"", "node 1", "node:4", "node/1", "node,2", "[::1]", "-Fpwn", "-"})
        CHECK_MESSAGE(!is_host_name(bad), bad);
}

TEST_CASE("compute target and VM size names") {
    for (const char* good : {"gpu-cluster", "local", "Cluster_1", "a.b", "9"})
        CHECK_MESSAGE(is_compute_target_name(good), good);
    for (const char* bad : {"", "-x", ".x", "_x", "a b", "a/b", "a:b"})
        CHECK_MESSAGE(!is_compute_target_name(bad), bad);
    for (const char* good : {"Standard_NC6", "Standard_NC6s_v3", "STANDARD_D2"})
        CHECK_MESSAGE(is_vm_size_name(good), good);
    for (const char* bad : {"", "Standard-NC6", "Standard NC6", "Standard_NC6."})
        CHECK_MESSAGE(!is_vm_size_name(bad), bad);
}

TEST_CASE("image references: valid ones") {
    for (const char* ref : {
             "ubuntu",
             "ubuntu:22.04",
             "tensorflow/tensorflow:2.16.1-gpu",
             "mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.3-cudnn8-ubuntu20.04",
             "mcr.microsoft.com/azureml/base-gpu:0.2.4",
             "localhost:5000/a/b:tag",
             "localhost:5000/a/b",
             "localhost/a",
             "registry.example.com:443/team/img",
             "MyRegistry/img",  // an upper-case first component is a registry host
             "[::1]:5000/img",
             "a__b",
             "a--b",
             "a.b_c-d",
             "x:5000",  // name "x", tag "5000"
             "ubuntu@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
             "ubuntu:22.04@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
         }) {
        CAPTURE(ref);
        const auto why = image_reference_problem(ref);
        CHECK_MESSAGE(!why.has_value(), (why ? *why : ""));
    }
    CHECK_FALSE(image_reference_problem("img:" + std::string(128, 't')).has_value());
    CHECK_FALSE(image_reference_problem(std::string(255, 'a')).has_value());
}

TEST_CASE("image references: invalid ones, with the reason") {
    struct bad_case {
        std::string ref;
        const char* why;
    };
    const std::vector<bad_case> cases = {
        {"", "must not be empty"},
        {"ubuntu 22.04", "must not contain spaces or control characters"},
        {"ubuntu\n", "must not contain spaces or control characters"},
        {"Ubuntu", "the repository name must be lowercase"},
        {"Ubuntu:22.04", "the repository name must be lowercase"},
        {"myregistry.io/MyTeam/img", "the repository name must be lowercase"},
        {"localhost:5000/A/b:tag", "the repository name must be lowercase"},
        {"ubuntu:", "a tag must have 1 to 128 characters"},
        {"img:" + std::string(129, 't'), "a tag must have 1 to 128 characters"},
        {"ubuntu:-x", "a tag must not start with '.' or '-'"},
        {"ubuntu:.x", "a tag must not start with '.' or '-'"},
        {"ubuntu:a+b", "a tag may only contain letters, digits, '_', '.', '-'"},
        {"ubuntu@sha256:abc", "the digest after '@' must be algorithm:hex"},
        {"ubuntu@sha256", "the digest after '@' must be algorithm:hex"},
        {"ubuntu@:0123456789abcdef0123456789abcdef", "the digest after '@' must be algorithm:hex"},
        {"ubuntu@sha256:0123456789abcdef0123456789abcdeg", "the digest after '@' must be algorithm:hex"},
        {"img$", "the repository name may only contain"},
        {"a//b", "each '/'-separated part of the repository name must start and end with a letter or digit"},
        {"a/-b", "each '/'-separated part"},
        {"a/b-", "each '/'-separated part"},
        {"a..b", "each '/'-separated part"},
        {"a___b", "each '/'-separated part"},
        {"a._b", "each '/'-separated part"},
        {"/a", "each '/'-separated part"},
        {"a/", "each '/'-separated part"},
        {"localhost:5000/", "must name a repository"},
        {":5000/img", "the registry must be a host name with an optional :port"},
        {"reg.io:/img", "the registry must be a host name with an optional :port"},
        {"reg.io:50a/img", "the registry must be a host name with an optional :port"},
        {"-reg.io/img", "must not start with '-': docker and the container runtimes would read it as an option"},
        {"--privileged", "must not start with '-'"},
        {"-v/:/host", "must not start with '-'"},
        {"reg..io/img", "the registry must be a host name with an optional :port"},
        {std::string(256, 'a'), "the name must have at most 255 characters"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.ref);
        const auto why = image_reference_problem(c.ref);
        REQUIRE(why.has_value());
        CHECK_MESSAGE(why->find(c.why) != std::string_view::npos, *why);
    }
}

TEST_CASE("Docker sizes: a number > 0, an optional unit b, k, m or g") {
    constexpr std::uint64_t k = 1024;
    CHECK(parse_docker_size("1") == 1u);
    CHECK(parse_docker_size("1024") == 1024u);
    CHECK(parse_docker_size("100b") == 100u);
    CHECK(parse_docker_size("100B") == 100u);
    CHECK(parse_docker_size("64k") == 64 * k);
    CHECK(parse_docker_size("64K") == 64 * k);
    CHECK(parse_docker_size("512m") == 512 * k * k);
    CHECK(parse_docker_size("2g") == 2 * k * k * k);
    CHECK(parse_docker_size("2G") == 2 * k * k * k);
    CHECK(parse_docker_size("007m") == 7 * k * k);
    for (const char* bad :
         {"", "0", "0g", "000", "g", "b", "-1", "-1g", "+1g", "1.5g", "2gb", "2 g", " 2g", "2t", "2x", "0x10", "1e3"}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_docker_size(bad).has_value());
    }
}

TEST_CASE("Docker sizes: overflow is malformed, not wrapped") {
    // Docker keeps sizes in a signed 64-bit integer: at most 2^63 - 1 bytes.
    CHECK(parse_docker_size("9223372036854775807") == 9223372036854775807u);
    CHECK(parse_docker_size("9223372036854775807b") == 9223372036854775807u);
    CHECK_FALSE(parse_docker_size("9223372036854775808").has_value());
    CHECK_FALSE(parse_docker_size("18446744073709551617").has_value());  // 2^64 + 1 would wrap to 1
    CHECK_FALSE(parse_docker_size("99999999999999999999999999").has_value());
    // (2^33 - 1) GiB = 2^63 - 2^30 fits; 2^33 GiB = 2^63 does not.
    CHECK(parse_docker_size("8589934591g") == 9223372035781033984u);
    CHECK_FALSE(parse_docker_size("8589934592g").has_value());
    // (2^43 - 1) MiB = 2^63 - 2^20 fits; 2^43 MiB = 2^63 does not; 2^44 MiB = 2^64 would wrap to 0.
    CHECK(parse_docker_size("8796093022207m") == 9223372036853727232u);
    CHECK_FALSE(parse_docker_size("8796093022208m").has_value());
    CHECK_FALSE(parse_docker_size("17592186044416m").has_value());
    CHECK_FALSE(parse_docker_size("9007199254740992k").has_value());  // 2^53 KiB = 2^63
}

namespace {
job_spec spec_for(const std::string& entry_script) {
    job_spec s;
    s.source_directory = "src";
    s.entry_script = entry_script;
    s.target = compute_target("gpu-cluster");
    return s;
}
}  // namespace

TEST_CASE("derived resource names: <job>-<type>-<last index>, <job>-launcher") {
    auto s = spec_for("train.py");
    CHECK(derived_resource_names(s, "j").empty());  // single node

    s.distributed_backend = backend_kind::mpi;
    s.node_count = 3;
    CHECK(derived_resource_names(s, "j") == std::vector<std::string>{"j-launcher", "j-worker-2"});

    s = spec_for("train.py");
    s.distributed_backend = backend_kind::parameter_server;
    s.worker_count = 4;
    s.parameter_server_count = 2;
    s.chief_count = 1;
    s.evaluator_count = 1;
    CHECK(derived_resource_names(s, "j") ==
          std::vector<std::string>{"j-chief-0", "j-worker-3", "j-ps-1", "j-evaluator-0"});
    s.chief_count.reset();
    s.evaluator_count = 0;
    CHECK(derived_resource_names(s, "j") == std::vector<std::string>{"j-worker-3", "j-ps-1"});

    s = spec_for("train.py");
    s.distributed_backend = backend_kind::multi_worker;
    s.node_count = 12;
    CHECK(derived_resource_names(s, "j") == std::vector<std::string>{"j-worker-11"});
}

TEST_CASE("effective_job_name: the given name, as given") {
    auto s = spec_for("tf_mnist.py");
    s.name = "my-job";
    CHECK(effective_job_name(s) == "my-job");
}

TEST_CASE("effective_job_name: made from the entry script") {
    CHECK(effective_job_name(spec_for("tf_mnist.py")) == "tf-mnist");
    CHECK(effective_job_name(spec_for("keras_mnist.py")) == "keras-mnist");
    CHECK(effective_job_name(spec_for("scripts/Train_Model.py")) == "train-model");
    CHECK(effective_job_name(spec_for("a/b/tf.horovod.word2vec.py")) == "tf-horovod-word2vec");
    CHECK(effective_job_name(spec_for("2d_unet.py")) == "d-unet");  // must start with a letter
    CHECK(effective_job_name(spec_for("model_.py")) == "model");    // must not end with '-'
    CHECK(effective_job_name(spec_for("train")) == "train");
    CHECK(effective_job_name(spec_for(".hidden")) == "hidden");
    CHECK(effective_job_name(spec_for("my__script--x.py")) == "my-script-x");
    CHECK(effective_job_name(spec_for("___.py")) == "job");
    CHECK(effective_job_name(spec_for("123.py")) == "job");
    CHECK(effective_job_name(spec_for("")) == "job");
    for (const char* script : {"tf_mnist.py", "scripts/Train_Model.py", "2d_unet.py", "model_.py", "___.py"})
        CHECK_MESSAGE(is_dns1035_label(effective_job_name(spec_for(script))), script);
}

TEST_CASE("effective_job_name: shortened so that every derived name fits 63") {
    const std::string long_script = std::string(70, 'a') + ".py";

    SUBCASE("single node: the name itself is the limit") {
        CHECK(effective_job_name(spec_for(long_script)) == std::string(63, 'a'));
    }
    SUBCASE("ps with 12 workers: 63 - len(\"-worker-11\") = 53") {
        auto s = spec_for(long_script);
        s.distributed_backend = backend_kind::parameter_server;
        s.worker_count = 12;
        CHECK(effective_job_name(s) == std::string(53, 'a'));
    }
    SUBCASE("ps with an evaluator: 63 - len(\"-evaluator-0\") = 51") {
        auto s = spec_for(long_script);
        s.distributed_backend = backend_kind::parameter_server;
        s.evaluator_count = 1;
        CHECK(effective_job_name(s) == std::string(51, 'a'));
    }
    SUBCASE("mpi with 2 nodes: 63 - len(\"-launcher\") = 54") {
        auto s = spec_for(long_script);
        s.distributed_backend = backend_kind::mpi;
        s.node_count = 2;
        CHECK(effective_job_name(s) == std::string(54, 'a'));
    }
    SUBCASE("mpi with 100 nodes: 63 - len(\"-worker-99\") = 53") {
        auto s = spec_for(long_script);
        s.distributed_backend = backend_kind::mpi;
        s.node_count = 100;
        CHECK(effective_job_name(s) == std::string(53, 'a'));
    }
    SUBCASE("a cut right after a '-' drops the '-'") {
        // 52 letters, '_' (becomes '-'), 20 letters; cut at 53 would end in '-'.
        auto s = spec_for(std::string(52, 'a') + "_" + std::string(20, 'b') + ".py");
        s.distributed_backend = backend_kind::parameter_server;
        s.worker_count = 12;
        CHECK(effective_job_name(s) == std::string(52, 'a'));
    }
    SUBCASE("the shortened name passes validation") {
        auto s = spec_for(long_script);
        s.distributed_backend = backend_kind::parameter_server;
        s.worker_count = 12;
        s.chief_count = 1;
        s.evaluator_count = 1;
        s.name = effective_job_name(s);
        CHECK(validate(s).empty());
        for (const auto& derived : derived_resource_names(s, *s.name)) {
            CAPTURE(derived);
            CHECK(derived.size() <= 63);
            CHECK(is_dns1035_label(derived));
        }
    }
}
