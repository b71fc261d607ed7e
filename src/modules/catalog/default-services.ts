/** The catalog a new installation starts with; admins and moderators edit it from there. */
export const DEFAULT_SERVICES: ReadonlyArray<{ name: string; icon: string; description: string }> =
  [
    {
      name: 'Plumbing',
      icon: 'plumbing',
      description: 'Leaks, pipes, taps, water heaters and drains',
    },
    { name: 'Electrical', icon: 'electrical', description: 'Wiring, sockets, lighting and panels' },
    {
      name: 'Carpentry',
      icon: 'carpentry',
      description: 'Doors, furniture, cabinets and woodwork',
    },
    { name: 'Painting', icon: 'painting', description: 'Interior and exterior painting' },
    {
      name: 'AC Repair',
      icon: 'ac',
      description: 'Air conditioner installation, service and repair',
    },
    {
      name: 'Appliance Repair',
      icon: 'appliance',
      description: 'Washers, fridges, ovens and more',
    },
    { name: 'Tiling', icon: 'tiling', description: 'Floor and wall tiles, ceramics and marble' },
    { name: 'Masonry', icon: 'masonry', description: 'Brickwork, plastering and concrete' },
    { name: 'Aluminum & Glass', icon: 'glass', description: 'Windows, kitchens and glass work' },
    { name: 'Cleaning', icon: 'cleaning', description: 'Home and office deep cleaning' },
    { name: 'Pest Control', icon: 'pest', description: 'Insects and rodents' },
    { name: 'Locksmith', icon: 'locksmith', description: 'Locks, keys and door security' },
  ];
