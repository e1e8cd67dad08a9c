# Sourced by the scripts that deploy the stack on a one-node swarm of their own.

# Starts swarm mode on this host unless it is on; remembers whether it did.
swarm_started=0
join_swarm() {
    if [ "$(docker info -f '{{.Swarm.LocalNodeState}}')" != active ]; then
        docker swarm init --advertise-addr 127.0.0.1 > /dev/null
        swarm_started=1
    fi
}

# Removes stack $1 with its networks and volumes, and leaves the swarm if
# join_swarm started it.
remove_stack() {
    if docker stack ls 2> /dev/null | grep -q "^$1 "; then
        docker stack rm "$1" > /dev/null
        # Its containers stop within their grace period; volumes go once they have.
        for _ in $(seq 90); do
            if ! docker ps -aq -f "label=com.docker.stack.namespace=$1" | grep -q . \
                && ! docker network ls | grep -q "${1}_"; then
                break
            fi
            sleep 1
        done
        docker volume ls -q | grep "^${1}_" | xargs -r docker volume rm > /dev/null 2>&1
    fi
    if [ "$swarm_started" = 1 ]; then
        docker swarm leave --force > /dev/null 2>&1 || true
    fi
}
